package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gradjudge"
	"gradjudge/judge"
)

// maxAnswerBytes bounds the answers `grade` reads from standard input.
const maxAnswerBytes = 1 << 20

func runGrade(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "grade", "ID --seed N [--catalog DIR] [--json] < answers.json", `
Grades answers to one variant of an exercise and prints the verdict. Standard input holds a JSON
object: for a numeric exercise {"quantity id": "text" or [..], ...}, e.g. {"z": "-3/4",
"dL_dw": 0.5}; for a choice exercise {"choice": "option id"}.`)
	seed := fs.Uint64("seed", 0, "the variant's seed")
	dir := commandCatalogFlag(fs)
	asJSON := fs.Bool("json", false, "print status, score, results, misconceptions and first_wrong as JSON")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	cat, err := openCatalog(ctx, *dir)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge grade: %v\n", err)
		return 1
	}
	answer, err := readAnswer(s.in)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge grade: %v\n", err)
		return 2
	}
	j, err := judge.New(cat, nil)
	if err == nil {
		var v gradjudge.Verdict
		if v, err = j.Grade(ctx, pos[0], *seed, answer); err == nil {
			return printVerdict(s, v, *asJSON)
		}
	}
	fmt.Fprintf(s.err, "gradjudge grade: %v\n", err)
	return 1
}

// readAnswer reads the answers object from r; the key "choice" answers a choice exercise.
func readAnswer(r io.Reader) (gradjudge.Answer, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxAnswerBytes+1))
	if err != nil {
		return gradjudge.Answer{}, fmt.Errorf("reading the answers: %w", err)
	}
	if len(data) > maxAnswerBytes {
		return gradjudge.Answer{}, fmt.Errorf("the answers are longer than %d bytes", maxAnswerBytes)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return gradjudge.Answer{}, fmt.Errorf(`the answers must be a JSON object such as {"z": "0.5"}: %w`, err)
	}
	a := gradjudge.Answer{Fields: fields}
	if raw, ok := fields["choice"]; ok && len(fields) == 1 {
		if err := json.Unmarshal(raw, &a.Choice); err != nil {
			return gradjudge.Answer{}, fmt.Errorf(`"choice" must be an option id such as "a"`)
		}
	}
	return a, nil
}

func printVerdict(s stdio, v gradjudge.Verdict, asJSON bool) int {
	if asJSON {
		return writeJSON(s, v)
	}
	fmt.Fprintf(s.out, "status: %s   score: %.2f\n\n", v.Status, v.Score)
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	for _, r := range v.Results {
		extra := ""
		if len(r.Tags) > 0 {
			extra = "  [" + strings.Join(r.Tags, ", ") + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\n", r.ID, r.Status, r.Message, extra)
	}
	tw.Flush()
	if len(v.Misconceptions) > 0 {
		fmt.Fprintf(s.out, "\nmisconceptions: %s\n", strings.Join(v.Misconceptions, ", "))
	}
	if v.FirstWrong != "" {
		fmt.Fprintf(s.out, "first wrong: %s\n", v.FirstWrong)
	}
	for _, f := range v.Feedback {
		fmt.Fprintf(s.out, "\n%s", f)
	}
	fmt.Fprintln(s.out)
	return 0
}
