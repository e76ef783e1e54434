// Package judge grades answers to catalog exercises. Numeric answers are read strictly, compared
// with the reference autograd within each quantity's tolerance, and diagnosed: bug-rule matches
// earn misconception tags, an answer that is wrong only because it builds on the student's own
// wrong earlier answer (a forward value, a gradient, or a local derivative such as ∂a/∂z) is
// marked as consistent with it (and earns no bug-rule tag: the step itself was right), and the
// first wrong node is named. Choice answers earn the tag of the chosen option. Code answers go to
// a CodeGrader, declared here and implemented by judge/code.
//
// What numeric and code grading share has one home here or in exercises: how far off a wrong
// number is (OffBy), which of several bug rules explaining an answer wins (exercises.Rank), how
// often a rule must show to be required (exercises.RequiredPercent), and the validation report.
//
// Validate checks the catalog itself: every exercise on many seeds, a code exercise's cases
// through ValidateOptions.CodeCases (judge/code's ValidateCases) and, when asked, by building
// and grading the solutions it ships.
//
// A wrong or unreadable answer is a Verdict; a Go error means the judge itself broke.
package judge
