// Package sandbox builds one student's Go source file to WebAssembly and runs it under limits.
//
// It is the only package of gradjudge that imports wazero and os/exec. A submission goes through
// three steps, each its own type:
//
//   - A Vetter checks the source statically in milliseconds: package solution, imports from an
//     allow-list only, no cgo, no compiler directives, bounded constants and arrays, and the
//     function signatures the exercise asks for. Mistakes come back as Diagnostics, never errors.
//   - A Builder writes a private module (the student's file as package solution plus a harness
//     main.go that the judge generates) and runs `go build` for GOOS=wasip1 GOARCH=wasm with a
//     clean environment, a shared build cache and a time limit.
//   - A Runner runs the module in wazero with no file system, no environment, no network, a
//     memory limit, a wall-time limit and capped output, and classifies the ending as an Outcome.
//
// The harness reads a per-run nonce from the first line of stdin and writes every result as a
// frame that starts with that nonce (see frame.go), so that nothing the student's code prints can
// pass for a result. Every limit is a named constant in limits.go.
package sandbox
