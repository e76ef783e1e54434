// Package web serves gradjudge's server-rendered pages: sign-in, the signed-in user's courses, the
// course staff's misconception dashboard (a heat map of exercises against misconception tags,
// per-concept prevalence, per-exercise attempts and pass rates, the gradebook as CSV) and a
// student's own progress page.
//
// Assessment policy (issue 12): a course exercise's policy settings with per-student extensions
// (policy.go, policyform.go), the regrade form and its report (regrade.go), the author's preview
// of any exercise at any seed with its answers and predicted wrong answers (preview.go), and on the
// exercise page what counts, hints on request and revealed answers (standing.go). Every rule is
// the core's: the pages read app.Standing and ask app.Help only when a student asks for a hint
// (or the answers are revealed), since asking is itself evidence for the learner model.
//
// The pages are html/template files and one CSS file embedded in the binary: no JavaScript, no
// build step. The package imports only the standard library, the root package and the internal
// packages it shares with api (rate limiting, the gradebook CSV); api mounts the Handler beside
// /api/v1, telling it each request's client address (WithClientIP), and cmd/gradjudge wires its
// services.
//
// A signed-in browser holds the API's own login token (a JWT issued through the Tokens interface)
// in an HttpOnly, SameSite=Strict cookie, Secure when the request came over TLS. Every POST is
// also checked for a same-origin request (Sec-Fetch-Site or Origin), so that another site cannot
// sign a browser in or out. Authorization follows the API: a course the user is not enrolled in is
// not found (404), a staff page asked for by a student is forbidden (403), and an admin acts as an
// instructor of every course.
package web
