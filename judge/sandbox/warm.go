package sandbox

import (
	"context"
	"fmt"
)

// warmSolution and warmHarness import every package a submission may use and every package a
// harness is expected to use, so that one build puts all of them for wasip1 in the cache.
const warmSolution = `package solution

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func Warm(x float64) (string, error) {
	s := []float64{x, math.Sqrt(x)}
	slices.Sort(s)
	sort.Float64s(s)
	if x < 0 {
		return "", errors.New("negative")
	}
	return strings.TrimSpace(fmt.Sprint(s) + strconv.Itoa(len(s))), nil
}
`

const warmHarness = `package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"

	"sandboxjob/solution"
)

func main() {
	debug.SetGCPercent(100)
	in := bufio.NewReader(os.Stdin)
	var x float64
	json.NewDecoder(in).Decode(&x)
	s, err := solution.Warm(x)
	fmt.Println(s, err)
}
`

// Warm builds a small program that imports the allowed packages and the harness's usual ones
// (bufio, encoding/json, fmt, os, runtime/debug), so that the standard library for wasip1 is in
// the build cache before the first student waits for it. Call it once at start-up; it takes
// seconds on an empty cache and well under one on a warm one, and at most WarmTimeLimit. It
// then lists the export files of those packages in the cache (`go list -export -deps`) for
// Build's direct path, which runs the compiler and linker without the go command.
func (b *Builder) Warm(ctx context.Context) error {
	res, err := b.build(ctx, []byte(warmSolution), warmHarness, WarmTimeLimit, true)
	if err != nil {
		return fmt.Errorf("sandbox: warm build cache: %w", err)
	}
	if !res.OK() {
		return fmt.Errorf("sandbox: warm build cache: %s", res.Output)
	}
	return nil
}
