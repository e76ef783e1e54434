// Package gradjudge holds the domain nouns of the judge (exercises, submissions, verdicts, users,
// courses) and the service interfaces that have more than one implementation. It imports only the
// standard library; every technology lives in its own package below it.
package gradjudge
