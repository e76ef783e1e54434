// Package lti is gradjudge's LTI 1.3 (LTI Advantage) tool: an LMS (Canvas, Moodle, Brightspace,
// Blackboard) launches it with single sign-on, an instructor places exercises by deep linking,
// every verdict's score reaches the LMS gradebook through a durable outbox (Assignment and Grade
// Services), and course rosters come from Names and Role Provisioning Services.
//
// It is a front door, an adapter over the application: it translates launches into users,
// courses and enrollments through the small interfaces of ports.go, and decides no rule of its
// own. It is built on golang-jwt (parsing with explicit methods, required expiry) and keyfunc
// (platform keys, refreshed on an unknown kid); no LTI library is used.
//
// Sessions: the student pages open in a window of their own, not in the LMS's iframe; see
// Tool.handOver for the reasons.
package lti
