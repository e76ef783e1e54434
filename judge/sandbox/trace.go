package sandbox

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads what the Go runtime and wazero say when a program fails, for the student.
// With -trimpath, frames read "sandboxjob/solution/solution.go:12"; WebAssembly stack traces
// name functions "sandboxjob_solution.F".

// cleanStderr strips the module path from file names and function names.
func cleanStderr(s string) string {
	s = strings.ReplaceAll(s, jobModule+"/"+solutionDir+"/"+SourceFileName, SourceFileName)
	return strings.ReplaceAll(s, jobModule+"/", "")
}

// outOfMemory reports whether the Go runtime died for want of memory.
func outOfMemory(stderr string) bool {
	return strings.Contains(stderr, "fatal error: out of memory") ||
		strings.Contains(stderr, "runtime: out of memory")
}

// panicMessage returns the last "panic: " or "fatal error: " line followed by a goroutine trace,
// and the line in solution.go of the innermost frame of that trace (0 if none). Lines a student
// printed before a real panic come earlier and are skipped.
func panicMessage(stderr string) (string, int) {
	lines := strings.Split(stderr, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if !strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "fatal error: ") {
			continue
		}
		rest := strings.Join(lines[i+1:], "\n")
		if !strings.Contains(rest, "goroutine ") {
			continue
		}
		return truncate(printable(l), maxMessageBytes), frameLine(rest)
	}
	return "", 0
}

// printable returns s as valid UTF-8 without control characters, each replaced by U+FFFD: a
// panic message quotes the student's own bytes, and Outcome.Message is one line of text.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' {
			return utf8.RuneError
		}
		return r
	}, s)
}

// frameLine returns the line number of the first solution.go frame in trace, or 0.
func frameLine(trace string) int {
	marker := "\t" + SourceFileName + ":"
	i := strings.Index(trace, marker)
	if i < 0 {
		return 0
	}
	digits := trace[i+len(marker):]
	end := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		digits = digits[:end]
	}
	n, _ := strconv.Atoi(digits)
	return n
}

// trapMessage describes a WebAssembly trap from wazero's error text, naming the innermost
// function of the solution package when the trace has one.
func trapMessage(errText string) string {
	msg, trace, _ := strings.Cut(errText, "\n")
	if _, after, ok := strings.Cut(msg, "wasm error: "); ok {
		msg = after
	}
	fn := trapFunction(trace)
	switch {
	case msg == "stack overflow" && fn != "":
		return "stack overflow in " + fn + ": does the recursion end?"
	case fn != "":
		msg += " in " + fn
	}
	return truncate("wasm error: "+msg, maxMessageBytes)
}

func trapFunction(trace string) string {
	const prefix = "." + jobModule + "_" + solutionDir + "."
	i := strings.Index(trace, prefix)
	if i < 0 {
		return ""
	}
	name := trace[i+len(prefix):]
	if end := strings.IndexAny(name, "(\n"); end >= 0 {
		name = name[:end]
	}
	return name
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
