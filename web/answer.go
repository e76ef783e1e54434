package web

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"gradjudge"
)

// answerForm is the form of one exercise, prefilled with an answer (the one shown, or the one
// just refused) and marked with the shown verdict's results.
type answerForm struct {
	Kind    gradjudge.ExerciseKind
	Fields  []fieldInput  // numeric: one per asked quantity
	Options []optionInput // choice
	Code    string        // code: the starter code, or the answer shown
	Attempt string        // a fresh idempotency key, so that a double click makes one attempt
	// Tolerance is the one tolerance of every quantity, said once; "" when they differ (then each
	// quantity says its own).
	Tolerance string
	// CodeErrorLine is the line of solution.go a compile error or vet message points at; 0 for
	// none. The editor marks it.
	CodeErrorLine int
}

// fieldInput is one asked quantity: a scalar input, or a grid of inputs of its shape.
type fieldInput struct {
	gradjudge.AskedQuantity
	Rows   [][]cellInput // one row of one cell for a number; 1×n for a vector; m×n for a matrix
	Scalar bool
	Result *gradjudge.Result // the shown verdict's result for it, if any
}

// cellInput is one number to type.
type cellInput struct {
	Name  string // the form field: q.<id>, q.<id>.<i> or q.<id>.<i>.<j>
	Label string // for screen readers: the quantity and the position
	Value string
}

// optionInput is one radio button of a choice exercise.
type optionInput struct {
	gradjudge.ChoiceOption
	HTML    template.HTML // Text with its Markdown and math rendered; set by the page
	Checked bool
}

// newAnswerForm builds the form of variant prefilled with a and marked with shown's results.
func newAnswerForm(variant gradjudge.Variant, a gradjudge.Answer, shown *submissionView) answerForm {
	f := answerForm{Kind: variant.Kind, Code: variant.Starter, Attempt: newAttemptKey()}
	results := map[string]*gradjudge.Result{}
	if shown != nil && shown.Verdict != nil {
		for i := range shown.Verdict.Results {
			results[shown.Verdict.Results[i].ID] = &shown.Verdict.Results[i]
		}
		f.CodeErrorLine = codeErrorLine(shown.Verdict)
	}
	for _, q := range variant.Quantities {
		f.Fields = append(f.Fields, newFieldInput(q, a.Fields[q.ID], results[q.ID]))
	}
	f.Tolerance = sharedTolerance(variant.Quantities)
	for _, o := range variant.Options {
		f.Options = append(f.Options, optionInput{ChoiceOption: o, Checked: o.ID == a.Choice})
	}
	if a.Code != "" {
		f.Code = a.Code
	}
	return f
}

// newFieldInput lays out one quantity's inputs in its shape, prefilled from the raw answer.
func newFieldInput(q gradjudge.AskedQuantity, raw json.RawMessage, res *gradjudge.Result) fieldInput {
	fi := fieldInput{AskedQuantity: q, Result: res}
	base := "q." + q.ID
	switch len(q.Shape) {
	case 0:
		fi.Scalar = true
		fi.Rows = [][]cellInput{{{Name: base, Label: q.Label, Value: scalarText(raw)}}}
	case 1:
		vals := listText(raw)
		row := make([]cellInput, q.Shape[0])
		for i := range row {
			row[i] = cellInput{Name: base + "." + strconv.Itoa(i), Label: q.Label + " entry " + strconv.Itoa(i+1), Value: at(vals, i)}
		}
		fi.Rows = [][]cellInput{row}
	default:
		var rows [][]string
		_ = json.Unmarshal(raw, &rows)
		for i := range q.Shape[0] {
			row := make([]cellInput, q.Shape[1])
			var vals []string
			if i < len(rows) {
				vals = rows[i]
			}
			for j := range row {
				row[j] = cellInput{Name: base + "." + strconv.Itoa(i) + "." + strconv.Itoa(j),
					Label: q.Label + " row " + strconv.Itoa(i+1) + " column " + strconv.Itoa(j+1), Value: at(vals, j)}
			}
			fi.Rows = append(fi.Rows, row)
		}
	}
	return fi
}

// readAnswer reads the form's answer to variant: for a numeric exercise each quantity from its
// inputs (a string, or a list, or a list of lists of strings: the judge reads the numbers and
// says which entry it cannot read); the choice; the code.
func readAnswer(variant gradjudge.Variant, form url.Values) gradjudge.Answer {
	switch variant.Kind {
	case gradjudge.KindChoice:
		return gradjudge.Answer{Choice: form.Get("choice")}
	case gradjudge.KindCode:
		return gradjudge.Answer{Code: strings.ReplaceAll(form.Get("code"), "\r\n", "\n")}
	}
	fields := map[string]json.RawMessage{}
	for _, q := range variant.Quantities {
		base := "q." + q.ID
		var v any
		switch len(q.Shape) {
		case 0:
			v = form.Get(base)
		case 1:
			row := make([]string, q.Shape[0])
			for i := range row {
				row[i] = form.Get(base + "." + strconv.Itoa(i))
			}
			v = row
		default:
			m := make([][]string, q.Shape[0])
			for i := range m {
				m[i] = make([]string, q.Shape[1])
				for j := range m[i] {
					m[i][j] = form.Get(base + "." + strconv.Itoa(i) + "." + strconv.Itoa(j))
				}
			}
			v = m
		}
		fields[q.ID], _ = json.Marshal(v)
	}
	return gradjudge.Answer{Fields: fields}
}

// scalarText is the text of a stored scalar answer: a JSON string's content or a number as sent.
func scalarText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// listText is the texts of a stored vector answer.
func listText(raw json.RawMessage) []string {
	var items []json.RawMessage
	_ = json.Unmarshal(raw, &items)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = scalarText(it)
	}
	return out
}

func at(vals []string, i int) string {
	if i < len(vals) {
		return vals[i]
	}
	return ""
}

// codeErrorLine finds the line a compile error or vet message names ("solution.go:12:5: ..." or
// "line 12"), for the editor to mark; 0 when it names none.
func codeErrorLine(v *gradjudge.Verdict) int {
	if v.Status != gradjudge.StatusCompileError {
		return 0
	}
	for _, msg := range v.Feedback {
		if _, rest, ok := strings.Cut(msg, "solution.go:"); ok {
			if n, err := strconv.Atoi(strings.SplitN(rest, ":", 2)[0]); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

// sharedTolerance is the tolerance every quantity has, or "" when they differ.
func sharedTolerance(qs []gradjudge.AskedQuantity) string {
	if len(qs) == 0 {
		return ""
	}
	for _, q := range qs[1:] {
		if q.Tolerance != qs[0].Tolerance {
			return ""
		}
	}
	return qs[0].Tolerance
}
