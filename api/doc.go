// Package api is the HTTP edge of gradjudge: the /api/v1 routes, their wire types (DTOs), JWT and
// API-key authentication, per-object authorization, limits, metrics and the OpenAPI document. It is
// the only package that imports gin. Handlers decode a request, call one service from the module
// root and encode the answer; they never see a database row.
package api
