// Package autograd is gradjudge's reference: the graph language (lexer, parser), float64 tensors
// of rank 0–2 with NumPy broadcasting, reverse-mode differentiation in micrograd's shape (each op's
// backward rule beside its forward code, gradients accumulated with +=, a topological order walked
// in reverse), quantities such as grad(L, w), central-difference gradient checking, and bug rules:
// named wrong backward rules that predict what a student holding a misconception would compute.
//
// It imports only the standard library.
package autograd
