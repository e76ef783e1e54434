// Package judge grades answers to catalog exercises. Numeric answers are read strictly, compared
// with the reference autograd within each quantity's tolerance, and diagnosed: bug-rule matches
// earn misconception tags, an answer that is wrong only because it builds on the student's own
// wrong earlier answer (a forward value, a gradient, or a local derivative such as ∂a/∂z) is
// marked as consistent with it (and earns no bug-rule tag: the step itself was right), and the
// first wrong node is named. Choice
// answers earn the tag of the chosen option. Code answers go to a CodeGrader: CodeJudge vets the
// student's Go, builds it with a generated harness in judge/sandbox, runs every case of the
// variant in one sandboxed run, and grades the results outside the sandbox against the reference
// autograd, central differences and the contract (finite, deterministic, inputs left alone, zero
// upstream gradient gives zero), naming misconceptions with the bug rules.
//
// Validate checks the catalog itself: every exercise on many seeds, a code exercise through
// simulated submissions of its reference and of each bug rule's belief, and (when asked) by
// building and grading the solutions it ships.
//
// A wrong or unreadable answer is a Verdict; a Go error means the judge itself broke.
package judge
