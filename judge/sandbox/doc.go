// Package sandbox builds one student's Go source file to WebAssembly and runs it under limits.
//
// It is the only package of gradjudge that imports wazero and os/exec. A submission goes through
// three steps, each its own type:
//
//   - A Vetter checks the source statically in milliseconds: package solution, imports from an
//     allow-list only, no cgo, no compiler directives, no generics, bounded constants, types,
//     arrays and total data, and the function signatures the exercise asks for. Mistakes come back as
//     Diagnostics, never errors.
//   - A Builder writes a private module (the student's file as package solution plus a harness
//     main.go that the judge generates) and builds it for GOOS=wasip1 GOARCH=wasm with a clean
//     environment, a shared build cache and a time limit: after Warm, by running the compiler
//     and the linker directly against the warm cache's standard library, as `go build
//     -trimpath` would, and with `go build` itself before Warm or when that path cannot decide.
//   - A Runner runs the module in wazero with no file system, no environment, no network, a
//     memory limit, a wall-time limit and capped output, and classifies the ending as an Outcome.
//
// # The harness contract
//
// The judge generates main.go for each exercise: package main of module "sandboxjob", importing
// "sandboxjob/solution". It reads a per-run nonce from the first line of stdin (FrameStdin puts
// it there; HarnessFrameSource has the code), then the judge's cases, calls the student's
// functions and writes each result as a frame, "\n" + nonce + " " + one-line payload + "\n", in
// one write. ParseFrames separates the frames from what the student printed. The student cannot
// forge a frame: the nonce is fresh and random for each run, and Vet rejects every way a solution
// could read stdin. A harness should recover a panic per case if partial credit is wanted, and
// must encode NaN and infinities itself, since encoding/json refuses them.
//
// # Decisions
//
//   - The student sends one file, so there is no go.mod of theirs to trust: the Builder writes
//     go.mod itself, and Vet rejects //go:build and // +build lines; a file that a constraint
//     excludes anyway fails to build with a clear message rather than building without it.
//   - Unbounded recursion is a runtime_error ("stack overflow in F"): wazero's interpreter traps
//     on call depth long before the Go stack reaches the memory limit. (In Compiler mode the
//     same program ends at the time limit.)
//   - Compile bombs are stopped before the compiler sees them where possible (huge arrays,
//     constant strings, nested types, generic instantiation chains) and by the build time limit
//     otherwise. The go command has no memory limit of its own: run workers in a container or
//     cgroup with one.
//   - Every build writes the student's compiled package into the shared build cache: the go
//     command has no layered cache (only GOCACHEPROG, a helper process speaking its protocol),
//     and a private cache per job would recompile the standard library. So Vet bounds all the
//     data a file asks the compiler to write out (MaxStaticDataBytes), and the go command trims
//     entries unused for five days.
//   - The direct build path (Builder.Warm, directBuild) skips the go command's package loading
//     and staleness checks, a third of a build. It reads the standard library's export files
//     from the build cache and writes nothing there. It knows only the packages the warm build
//     reached, and leaves to `go build` a file with an import it lacks, a build constraint or
//     cgo, so that the student reads the usual message. Its modules carry no build ID, so two
//     submissions that differ only in comments or dead code give the same module and share the
//     Runner's cache entry. Cache entries it alone uses are not marked as used: if the go
//     command trims one (after five days unused by it), the direct path fails to open it and
//     steps aside for `go build`, which rebuilds it; restarting (Warm) relearns the cache.
//   - Time limits are wall time. Run no more concurrent builds and runs than there are cores, or
//     a loaded machine turns correct solutions into time_limit.
//   - wazero's defaults give the module a clock that does not tell real time and a fixed random
//     source, so a run is deterministic.
//
// Every limit is a named constant in limits.go.
package sandbox
