package judge

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"gradjudge"
)

// Write prints the report for an author: one line per exercise, how often each misconception tag
// was checked, what was skipped, then every kept failure and a verdict line.
func (r Report) Write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "exercise\tkind\tvariants\tdraws/variant\tcases\tanswer sets\tambiguous\tsolutions\tfailures\trequired rules")
	tags := map[string]int{}
	for _, e := range r.Exercises {
		perVariant := 0.0
		if e.Variants > 0 {
			perVariant = float64(e.Draws) / float64(e.Variants)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%s\t%d\t%d\t%s\t%d\t%s\n", e.ID, e.Kind, e.Variants, perVariant,
			casesColumn(e), e.Checked, e.Ambiguous, r.solutionsColumn(e), e.Failures, strings.Join(e.Required, " "))
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
	r.writePairs(w)
	r.writeSkipped(w)
	r.writeFailures(w)
}

// writePairs prints, per numeric exercise, how students holding two beliefs at once fared and
// which pairs of rules its variants tell apart (on how many seeds), then the catalog's figure.
func (r Report) writePairs(w io.Writer) {
	fmt.Fprintf(w, "\ntwo beliefs at once: pairs shown by a variant, both beliefs named (and nothing else), a tag not held:\n")
	var total PairFigure
	for _, e := range r.Exercises {
		if e.Kind != gradjudge.KindNumeric {
			continue
		}
		total.add(e.Pairs)
		fmt.Fprintf(w, "  %-32s shown %5d  named %5d (%5.1f%%)  not held %d\n", e.ID, e.Pairs.Shown, e.Pairs.Named,
			e.Pairs.Percent(), e.Pairs.Foreign)
		names := make([]string, 0, len(e.Pairs.Told))
		for name := range e.Pairs.Told {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintf(w, "      told apart: %-60s on %d of %d seeds\n", name, e.Pairs.Told[name], e.Variants)
		}
	}
	fmt.Fprintf(w, "  all numeric exercises: shown %d, both named %d (%.1f%%), a tag not held %d\n",
		total.Shown, total.Named, total.Percent(), total.Foreign)
}

// casesColumn shows the cases of a code exercise, "-" for others.
func casesColumn(e ExerciseReport) string {
	if e.Kind != gradjudge.KindCode {
		return "-"
	}
	return strconv.Itoa(e.Cases)
}

// solutionsColumn shows a code exercise's solutions graded as expected out of those shipped.
func (r Report) solutionsColumn(e ExerciseReport) string {
	switch {
	case e.Kind != gradjudge.KindCode:
		return "-"
	case !r.Solutions:
		return "skipped"
	}
	return fmt.Sprintf("%d/%d", e.Solutions, e.Shipped)
}

// writeSkipped says what was not checked: the code solutions, when they were not built.
func (r Report) writeSkipped(w io.Writer) {
	exercises, shipped := 0, 0
	for _, e := range r.Exercises {
		if e.Kind == gradjudge.KindCode {
			exercises, shipped = exercises+1, shipped+e.Shipped
		}
	}
	if r.Solutions || exercises == 0 {
		return
	}
	fmt.Fprintf(w, "\nSKIPPED: the %d shipped solutions of the %d code exercises were not built and run: only their\n"+
		"cases and simulated submissions were checked, without the Go toolchain.\n", shipped, exercises)
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
