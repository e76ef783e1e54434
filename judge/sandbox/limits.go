package sandbox

import "time"

// Default limits. Each can be overridden per Builder or Runner through Limits.
const (
	// MaxSourceBytes is the largest student source file accepted, in bytes.
	MaxSourceBytes = 64 << 10
	// DefaultBuildTimeLimit bounds one `go build` of a submission, wall time.
	DefaultBuildTimeLimit = 20 * time.Second
	// WarmTimeLimit bounds Builder.Warm, which compiles the standard library for wasip1 into an
	// empty cache: a minute of CPU on a small machine.
	WarmTimeLimit = 5 * time.Minute
	// DefaultRunTimeLimit bounds one run of a built module, wall time, all test cases together.
	DefaultRunTimeLimit = 2 * time.Second
	// DefaultMemoryLimitBytes bounds the linear memory of a running module, in bytes. It is
	// rounded down to whole 64 KiB WebAssembly pages.
	DefaultMemoryLimitBytes = 256 << 20
	// DefaultOutputLimitBytes bounds everything a run writes to stdout (results and the student's
	// prints together), in bytes. A run that writes more is stopped with OutputLimit.
	DefaultOutputLimitBytes = 64 << 10
	// DefaultStderrLimitBytes bounds how much of stderr is kept, in bytes: half from the start and
	// half from the end, so the runtime's final panic message survives a flood. Writing more to
	// stderr does not stop the run.
	DefaultStderrLimitBytes = 16 << 10
	// DefaultCompileMemoryBytes bounds the address space of each compiler and linker process of a
	// build, in bytes (RLIMIT_AS, on Unix systems with /bin/sh). The Go runtime alone reserves
	// about 800 MiB of address space at start and a normal build needs a few hundred MiB more;
	// the bound stops a compiler bomb that gets past Vet from taking the machine.
	DefaultCompileMemoryBytes = 4 << 30
	// DefaultCompileOutputLimitBytes bounds the compiler messages kept from one build, in bytes.
	DefaultCompileOutputLimitBytes = 8 << 10
	// DefaultWasmLimitBytes bounds the size of a built module, in bytes.
	DefaultWasmLimitBytes = 64 << 20
	// DefaultModuleCacheEntries is how many compiled modules a Runner keeps, least recently used
	// first out.
	DefaultModuleCacheEntries = 32
)

// Fixed guards that protect the judge process itself; they are not configurable.
const (
	// MaxValueBytes bounds the static size of any type in a submission (an array of arrays, a
	// struct of arrays) and the implied length of a composite literal, in bytes. Larger values
	// make the compiler allocate them at build time.
	MaxValueBytes = 16 << 20
	// MaxConstStringBytes bounds the length of any constant string a submission can spell, in
	// bytes. `const b = a + a` doubles a length per line; without this bound the type checker
	// and the compiler would try to hold exabytes.
	MaxConstStringBytes = 1 << 20
	// MaxStaticDataBytes bounds, in bytes, all the data a submission's code asks the compiler to
	// write out: every use of a constant string (a constant used twice counts twice) and every
	// composite literal, in package-level and function-level code alike. Each alone is bounded
	// above; without a total, a 4 KiB file of `var sN = big + "N"` lines writes 60 MB into the
	// shared build cache.
	MaxStaticDataBytes = 1 << 20
	// MaxTypeNodes bounds the size of a type declaration with every named type it mentions
	// written out in place, in syntax nodes. Nested structs that double per line would
	// otherwise make type checking take exponential time.
	MaxTypeNodes = 100_000
	// MaxNamedTypeDepth bounds how many declared types a type may nest in one another, itself
	// included (type A B; type B struct{ c C }; ...). The type checkers (go/types and the
	// compiler's) walk each declaration's whole chain, in time cubic in its length: without
	// this bound, 1600 one-line declarations take Vet 8 s of the judge's own CPU.
	MaxNamedTypeDepth = 100
	// MaxFunctionNodes bounds the syntax nodes (names, literals, operators, statements; not
	// parentheses) of one function, and of all package-level variables' initial values together,
	// which the compiler puts in one function. Its time grows faster than linearly in a
	// function's size: 4,000 one-line statements take 6 s to compile, 6,500 (a 64 KiB file) 15 s
	// and more. A backward function needs a few hundred nodes; the shipped solutions at most 111.
	MaxFunctionNodes = 5_000
	// MaxSyntaxDepth bounds how deep the syntax of one declaration may nest (expressions, blocks,
	// types; not parentheses): the compiler takes seconds on types or expressions nested a
	// couple of thousand deep. The shipped solutions nest at most 13 deep.
	MaxSyntaxDepth = 100
	// MaxDiagnostics is the most diagnostics Vet returns for one file.
	MaxDiagnostics = 10
	// maxMessageBytes bounds Outcome.Message, which may quote the student's own panic value.
	maxMessageBytes = 300
	// ProcessWaitDelay is how long a cancelled child process may keep its output pipes open
	// before they are closed and it is abandoned (see exec.Cmd.WaitDelay).
	ProcessWaitDelay = 2 * time.Second
	// wasmPageBytes is the size of one WebAssembly memory page.
	wasmPageBytes = 64 << 10
)

// Limits gathers the configurable limits of a Builder and a Runner. A zero field means the
// default constant of the same name; DefaultLimits returns all defaults spelled out.
type Limits struct {
	SourceBytes        int           // largest source file accepted; default MaxSourceBytes
	BuildTime          time.Duration // one build, wall time; default DefaultBuildTimeLimit
	RunTime            time.Duration // one run, wall time; default DefaultRunTimeLimit
	MemoryBytes        int64         // linear memory of one run; default DefaultMemoryLimitBytes
	OutputBytes        int           // stdout of one run; default DefaultOutputLimitBytes
	StderrBytes        int           // stderr kept from one run; default DefaultStderrLimitBytes
	CompileOutputBytes int           // compiler messages kept; default DefaultCompileOutputLimitBytes
	CompileMemoryBytes int64         // address space of each build process; default DefaultCompileMemoryBytes
	WasmBytes          int64         // size of a built module; default DefaultWasmLimitBytes
}

// DefaultLimits returns every limit at its default.
func DefaultLimits() Limits {
	return Limits{
		SourceBytes:        MaxSourceBytes,
		BuildTime:          DefaultBuildTimeLimit,
		RunTime:            DefaultRunTimeLimit,
		MemoryBytes:        DefaultMemoryLimitBytes,
		OutputBytes:        DefaultOutputLimitBytes,
		StderrBytes:        DefaultStderrLimitBytes,
		CompileOutputBytes: DefaultCompileOutputLimitBytes,
		CompileMemoryBytes: DefaultCompileMemoryBytes,
		WasmBytes:          DefaultWasmLimitBytes,
	}
}

// withDefaults returns l with every zero or negative field replaced by its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick(&l.SourceBytes, d.SourceBytes)
	pick(&l.BuildTime, d.BuildTime)
	pick(&l.RunTime, d.RunTime)
	pick(&l.MemoryBytes, d.MemoryBytes)
	pick(&l.OutputBytes, d.OutputBytes)
	pick(&l.StderrBytes, d.StderrBytes)
	pick(&l.CompileOutputBytes, d.CompileOutputBytes)
	pick(&l.CompileMemoryBytes, d.CompileMemoryBytes)
	pick(&l.WasmBytes, d.WasmBytes)
	return l
}

func pick[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// memoryPages is the memory limit in whole WebAssembly pages, at least one and at most 65536.
func (l Limits) memoryPages() uint32 {
	pages := l.MemoryBytes / wasmPageBytes
	return uint32(min(max(pages, 1), 65536))
}
