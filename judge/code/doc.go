// Package code grades Go code answers to code exercises; it is the judge.CodeGrader of a
// judge.Judge. Judge vets the student's Go, builds it with a generated harness in judge/sandbox,
// runs every case of the variant in one sandboxed run, and grades the results outside the sandbox
// against the reference autograd, central differences and the contract (finite, deterministic,
// inputs left alone, zero upstream gradient gives zero), naming misconceptions with the bug rules.
// ValidateCases checks a code exercise's cases and simulated submissions without building.
//
// A wrong answer, a compile error or a crash is a Verdict; a Go error means the judge broke.
package code
