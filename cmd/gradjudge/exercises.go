package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
	codejudge "gradjudge/judge/code"
)

func runExercises(ctx context.Context, s stdio, args []string) int {
	return runGroup(ctx, s, "usage: gradjudge exercises list [--catalog DIR] [--json] | show ID --seed N [--catalog DIR] [--json] | validate [DIR] [--seeds N] [--no-code]",
		map[string]func(context.Context, stdio, []string) int{
			"list": exercisesList, "show": exercisesShow, "validate": exercisesValidate,
		}, args)
}

func exercisesList(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "exercises list", "[--catalog DIR] [--json]", "Lists the exercises of the catalog.")
	dir := commandCatalogFlag(fs)
	asJSON := fs.Bool("json", false, "print a JSON array")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fs.Usage()
		return 2
	}
	cat, ok := loadCatalogFlag(ctx, s, "exercises list", *dir)
	if !ok {
		return 1
	}
	if *asJSON {
		return writeJSON(s, cat.Exercises())
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tkind\tconcepts\ttitle")
	for _, e := range cat.Exercises() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, e.Kind, strings.Join(e.Concepts, ","), e.Title)
	}
	tw.Flush()
	return 0
}

func exercisesShow(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "exercises show", "ID --seed N [--catalog DIR] [--answers] [--json]",
		"Shows one student's variant of an exercise: the statement with its numbers, the graph, the inputs,\nthe asked quantities with their tolerances, and the options of a choice exercise.")
	seed := fs.Uint64("seed", 0, "the variant's seed")
	dir := commandCatalogFlag(fs)
	withAnswers := fs.Bool("answers", false, "for authors: add the reference answers and the answer every wrong belief predicts (never show it to students)")
	asJSON := fs.Bool("json", false, "print the variant as JSON")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	cat, ok := loadCatalogFlag(ctx, s, "exercises show", *dir)
	if !ok {
		return 1
	}
	p, err := cat.Preview(pos[0], *seed)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge exercises show: %v\n", err)
		return 1
	}
	switch {
	case *asJSON && *withAnswers:
		return writeJSON(s, p)
	case *asJSON:
		return writeJSON(s, p.Variant)
	}
	printVariant(s.out, p.Variant)
	if *withAnswers {
		printAnswers(s.out, p)
	}
	return 0
}

// printAnswers prints a preview's reference answers and each rule's predicted wrong answers.
func printAnswers(w io.Writer, p *exercises.Preview) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nanswers:")
	for _, a := range p.Answers {
		fmt.Fprintf(tw, "    %s\t%s\n", a.Label, a.Value)
	}
	if len(p.Predictions) > 0 {
		fmt.Fprintln(tw, "\npredicted wrong answers (rule, tag: the answers that differ):")
	}
	for _, pred := range p.Predictions {
		var parts []string
		for i, v := range pred.Values {
			if v != "" {
				parts = append(parts, p.Answers[i].Label+" = "+v)
			}
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", pred.Name, pred.Tag, strings.Join(parts, "; "))
	}
	for _, o := range p.Options {
		tag := o.Tag
		if o.Correct {
			tag = "correct"
		}
		fmt.Fprintf(tw, "    option %s\t%s\n", o.ID, tag)
	}
	tw.Flush()
}

func printVariant(w io.Writer, v gradjudge.Variant) {
	fmt.Fprintf(w, "%s — %s\nkind: %s   concepts: %s   seed: %d\n\n%s\n", v.ID, v.Title, v.Kind,
		strings.Join(v.Concepts, ", "), v.Seed, v.Statement)
	if v.Graph != "" {
		fmt.Fprintf(w, "\ngraph:\n    %s\n", strings.ReplaceAll(strings.TrimSpace(v.Graph), "\n", "\n    "))
		names := make([]string, 0, len(v.Inputs))
		for name := range v.Inputs {
			names = append(names, name)
		}
		sort.Strings(names)
		fmt.Fprintln(w, "\ninputs:")
		for _, name := range names {
			b, _ := json.Marshal(v.Inputs[name])
			fmt.Fprintf(w, "    %s = %s\n", name, b)
		}
	}
	if v.Signature != "" {
		fmt.Fprintf(w, "\nwrite:\n    %s\n", strings.ReplaceAll(strings.TrimSpace(v.Signature), "\n", "\n    "))
		fmt.Fprintf(w, "\nstarter code:\n%s\n", v.Starter)
	}
	if len(v.Quantities) > 0 {
		fmt.Fprintln(w, "\nasked:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, q := range v.Quantities {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", q.ID, q.Label, q.Expression, q.Tolerance)
		}
		tw.Flush()
	}
	if len(v.Options) > 0 {
		fmt.Fprintln(w, "\noptions:")
		for _, o := range v.Options {
			fmt.Fprintf(w, "    %s: %s\n", o.ID, o.Text)
		}
	}
}

func exercisesValidate(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "exercises validate", "[DIR] [--seeds N] [--no-code] [--gocache DIR]", `
Checks every exercise of the catalog in directory DIR (laid out as the embedded one:
misconceptions.toml, catalog/ID.md, testdata/solutions/ID/*.go), or of the embedded catalog
without DIR. A file that cannot be loaded is reported as FILE:LINE: reason. Then each exercise is
checked on many seeds: each variant is drawn kink-free and
discriminating, the reference answers (exact and rounded to 3 significant figures) are accepted,
and the answers every bug rule predicts are rejected and tagged with the rule's misconception.
Students holding two beliefs at once are simulated too: the report gives, per numeric exercise,
the pairs of rules its variants tell apart and how often both were named (a tag the student does
not hold is a failure).
A code exercise's cases are drawn for every seed and its reference cross-checked with central
differences; simulated submissions (the reference, each bug rule's belief) are graded as the code
judge grades a run. Then every code solution shipped in exercises/testdata/solutions is built and
graded once (seed 7) by the real code judge: this needs the go command, and the first run warms
the Go build cache for WebAssembly (a minute). --no-code skips the building, and the report says so.
Prints a report; exits with 1 when anything fails.`)
	seeds := fs.Int("seeds", judge.ValidateSeeds, "seeds per exercise")
	noCode := fs.Bool("no-code", false, "do not build and run the code solutions (for machines without the go command)")
	gocache := fs.String("gocache", "", "the Go build cache of the code judge (default: the user cache directory's gradjudge/gocache)")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 || *seeds < 1 {
		fs.Usage()
		return 2
	}
	cat, err := exercises.Load()
	if len(pos) == 1 {
		cat, err = exercises.LoadDir(pos[0])
	}
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge exercises validate: %v\n", err)
		return 1
	}
	var grader judge.CodeGrader
	if !*noCode {
		cj, err := codejudge.New(ctx, codejudge.Config{CacheDir: *gocache})
		if err != nil {
			fmt.Fprintf(s.err, "gradjudge exercises validate: %v (--no-code validates without building code)\n", err)
			return 1
		}
		defer cj.Close()
		grader = cj
	}
	j, err := judge.New(cat, grader)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge exercises validate: %v\n", err)
		return 1
	}
	rep := j.Validate(ctx, judge.ValidateOptions{Seeds: *seeds, Solutions: !*noCode, CodeCases: codejudge.ValidateCases})
	rep.Write(s.out)
	if !rep.OK() {
		return 1
	}
	return 0
}

func writeJSON(s stdio, v any) int {
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(s.err, "gradjudge: %v\n", err)
		return 1
	}
	return 0
}
