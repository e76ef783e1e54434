package judge

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// Write prints the report for an author: one line per exercise, how often each misconception tag
// was checked, then every kept failure and a verdict line.
func (r Report) Write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "exercise\tkind\tvariants\tdraws/variant\tanswer sets\tambiguous\tfailures\trequired rules")
	tags := map[string]int{}
	for _, e := range r.Exercises {
		perVariant := 0.0
		if e.Variants > 0 {
			perVariant = float64(e.Draws) / float64(e.Variants)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%d\t%d\t%d\t%s\n", e.ID, e.Kind, e.Variants, perVariant, e.Checked,
			e.Ambiguous, e.Failures, strings.Join(e.Required, " "))
		for tag, n := range e.Tagged {
			tags[tag] += n
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nwrong answer sets rejected and tagged, per tag:\n")
	names := make([]string, 0, len(tags))
	for tag := range tags {
		names = append(names, tag)
	}
	sort.Strings(names)
	for _, tag := range names {
		fmt.Fprintf(w, "  %-30s %d\n", tag, tags[tag])
	}
	r.writeFailures(w)
}

func (r Report) writeFailures(w io.Writer) {
	failures := 0
	for _, e := range r.Exercises {
		failures += e.Failures
		for _, ex := range e.Examples {
			fmt.Fprintf(w, "FAIL %s: %s\n", e.ID, ex)
		}
		if hidden := e.Failures - len(e.Examples); hidden > 0 {
			fmt.Fprintf(w, "FAIL %s: … and %d more\n", e.ID, hidden)
		}
	}
	bad := slices.IndexFunc(r.Exercises, func(e ExerciseReport) bool { return e.Failures > 0 }) >= 0
	status := "ok"
	if bad {
		status = fmt.Sprintf("FAILED (%d failures)", failures)
	}
	fmt.Fprintf(w, "\n%d exercises × %d seeds in %.1fs: %s\n", len(r.Exercises), r.Seeds, r.Elapsed.Seconds(), status)
}
