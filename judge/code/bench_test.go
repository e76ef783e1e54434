package code

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gradjudge"
)

// benchExercise is the single-neuron code exercise, whose reference the benchmarks submit.
const benchExercise = "code-neuron-backward"

// saltCounter makes every benchmark source new, so that it misses the verdict cache and the
// compiler builds its package, as for a new student's submission.
// The salt is used by an init function, so that it reaches the built module: a module that
// differed from the last one only by its build ID would hit the Runner's module cache.
var saltCounter atomic.Int64

func saltedNeuron(tb testing.TB) string {
	needCode(tb)
	e, err := codeEnv.cat.Lookup(benchExercise)
	if err != nil {
		tb.Fatal(err)
	}
	salt := fmt.Sprintf("%d%d", time.Now().UnixNano(), saltCounter.Add(1))
	return e.Code.Solutions[0].Source + "\nvar salt float64 = " + salt + "\n\nvar salted float64\n\n" +
		"func init() { salted = Salted(1) }\n\nfunc Salted(x float64) float64 { return x + salt }\n"
}

func gradeBench(tb testing.TB, src string) gradjudge.Verdict {
	v, err := codeEnv.judge.Grade(context.Background(), benchExercise, 1, gradjudge.Answer{Code: src})
	if err != nil || v.Status != gradjudge.StatusAccepted {
		tb.Fatalf("Grade: %v, %s %v", err, v.Status, v.Feedback)
	}
	return v
}

// BenchmarkCodeVerdict measures, in the same run, the verdict latency of a new single-neuron
// submission (vet, build with the warm cache, run every case, grade) and a bare `go build` of
// the same kind of file with the same cache, and reports their ratio (target ≤ 1.5).
// Run it with -benchtime=10x or more: one iteration takes about a second.
func BenchmarkCodeVerdict(b *testing.B) {
	needCode(b)
	dir := bareModule(b)
	gradeBench(b, saltedNeuron(b)) // once untimed, like the judge's warm-up
	bareBuild(b, dir, saltedNeuron(b))
	var verdict, bare time.Duration
	for b.Loop() {
		start := time.Now()
		gradeBench(b, saltedNeuron(b))
		verdict += time.Since(start)
		start = time.Now()
		bareBuild(b, dir, saltedNeuron(b))
		bare += time.Since(start)
	}
	b.ReportMetric(float64(verdict.Milliseconds())/float64(b.N), "verdict-ms/op")
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-build-ms/op")
	b.ReportMetric(verdict.Seconds()/bare.Seconds(), "verdict/bare-build")
}

// bareModule lays out a module like the judge's job: the harness and the student's package.
func bareModule(b *testing.B) string {
	dir, err := os.MkdirTemp(codeEnv.root, "bare-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	e, _ := codeEnv.cat.Lookup(benchExercise)
	for _, sub := range []string{"solution", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			b.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module sandboxjob\n\ngo 1.26\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(harnessSource(e.Code)), 0o600)
	return dir
}

// bareBuild is the floor: `go build` for wasip1 with the judge's warm cache and nothing else.
func bareBuild(b *testing.B, dir, src string) {
	if err := os.WriteFile(filepath.Join(dir, "solution", "solution.go"), []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", "prog.wasm", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=", "GOTOOLCHAIN=local",
		"GOCACHE="+codeEnv.code.CacheDir(),
		// TMPDIR below the module: the go command ignores a go.mod in the temp root itself.
		"HOME="+filepath.Join(dir, "home"), "TMPDIR="+filepath.Join(dir, "tmp"))
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
}

// BenchmarkCodeCacheHit measures a submission the judge has seen: the verdict comes from the
// content-hash cache (target ≤ 10 ms).
func BenchmarkCodeCacheHit(b *testing.B) {
	src := saltedNeuron(b)
	gradeBench(b, src)
	for b.Loop() {
		if v := gradeBench(b, src); v.Timings[0].Stage != "cache" {
			b.Fatalf("got timings %v, want a cache hit", v.Timings)
		}
	}
}

// BenchmarkCodeThroughput measures new submissions judged per second by the shared judge's two
// workers, with four submitters keeping them busy.
func BenchmarkCodeThroughput(b *testing.B) {
	const batch, submitters = 8, 4
	needCode(b)
	gradeBench(b, saltedNeuron(b))
	start := time.Now()
	for b.Loop() {
		srcs := make(chan string, batch)
		for range batch {
			srcs <- saltedNeuron(b)
		}
		close(srcs)
		var wg sync.WaitGroup
		for range submitters {
			wg.Go(func() {
				for src := range srcs {
					gradeBench(b, src)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(batch*b.N)/time.Since(start).Seconds(), "submissions/s")
}
