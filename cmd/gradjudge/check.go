package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"gradjudge"
	"gradjudge/judge"
	codejudge "gradjudge/judge/code"
)

// maxCheckFileBytes bounds the file `check` reads. It is far above the judge's own source limit,
// so that an oversized file gets the judge's compile error, as on the server.
const maxCheckFileBytes = 4 << 20

func runCheck(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "check", "FILE --exercise ID [--seed N] [--catalog DIR] [--json] [--gocache DIR]", `
Grades a Go file as the answer to a code exercise, exactly as the server does: static checks, a
build to WebAssembly, a sandboxed run on every case of the variant, and the comparison with the
reference autograd. Prints the verdict; exits with 0 when it is accepted and 1 otherwise. The first
run warms the Go build cache for WebAssembly, which takes a minute.`)
	id := fs.String("exercise", "", "the code exercise's id (see gradjudge exercises list)")
	seed := fs.Uint64("seed", 0, "the variant's seed")
	dir := commandCatalogFlag(fs)
	asJSON := fs.Bool("json", false, "print the whole verdict as JSON")
	gocache := fs.String("gocache", "", "the Go build cache of the judge (default: the user cache directory's gradjudge/gocache)")
	var lim codeLimits
	codeLimitFlags(fs, &lim)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || *id == "" {
		fs.Usage()
		return 2
	}
	src, err := readSourceFile(pos[0])
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge check: %v\n", err)
		return 2
	}
	limits, err := lim.sandboxLimits()
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge check: %v\n", err)
		return 2
	}
	v, err := checkFile(ctx, *dir, *id, *seed, src, codejudge.Config{CacheDir: *gocache, Limits: limits})
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge check: %v\n", err)
		return 1
	}
	if code := printCodeVerdict(s, v, *asJSON); code != 0 {
		return code
	}
	if v.Status != gradjudge.StatusAccepted {
		return 1
	}
	return 0
}

func readSourceFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCheckFileBytes+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxCheckFileBytes {
		return "", fmt.Errorf("%s is larger than %d bytes", name, maxCheckFileBytes)
	}
	return string(data), nil
}

// checkFile grades src with a code judge of its own, built like the server's, over the catalog in
// dir (the embedded one when dir is empty).
func checkFile(ctx context.Context, dir, id string, seed uint64, src string, cfg codejudge.Config) (gradjudge.Verdict, error) {
	cat, err := openCatalog(ctx, dir)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	e, err := cat.Lookup(id)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	if e.Code == nil {
		return gradjudge.Verdict{}, fmt.Errorf("%s is a %s exercise; check grades code exercises (use gradjudge grade)", id, e.Kind)
	}
	cj, err := codejudge.New(ctx, cfg)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	defer cj.Close()
	j, err := judge.New(cat, cj)
	if err != nil {
		return gradjudge.Verdict{}, err
	}
	return j.Grade(ctx, id, seed, gradjudge.Answer{Code: src})
}

// printCodeVerdict prints a verdict, then what the code printed and how long each stage took.
func printCodeVerdict(s stdio, v gradjudge.Verdict, asJSON bool) int {
	if code := printVerdict(s, v, asJSON); code != 0 || asJSON {
		return code
	}
	if v.Output != "" {
		fmt.Fprintf(s.out, "\nyour code printed:\n%s\n", v.Output)
	}
	fmt.Fprint(s.out, "\ntimings:")
	for _, t := range v.Timings {
		fmt.Fprintf(s.out, "  %s %.3fs", t.Stage, t.Duration.Seconds())
	}
	fmt.Fprintln(s.out)
	return 0
}
