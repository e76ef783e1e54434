package code

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"gradjudge/autograd"
)

// reply is what the harness wrote for one call: each result as a tensor (or why it cannot be
// one), and whether each argument was changed.
type reply struct {
	results []autograd.Tensor
	bad     []string // per result: "" or what is wrong with its shape, for the student
	changed []bool
	shares  []bool // per result: it shares memory with an argument
}

// shared reports whether result k shares memory with an argument.
func (r reply) shared(k int) bool { return k < len(r.shares) && r.shares[k] }

type wireReply struct {
	R []json.RawMessage `json:"r"`
	M []bool            `json:"m"`
	S []bool            `json:"s"`
}

// decodeReplies reads one reply per frame; ranks are the result ranks of each call's function.
// An unreadable frame means the harness is broken: an error, not a verdict.
func decodeReplies(frames [][]byte, p *plan) ([]reply, error) {
	out := make([]reply, len(frames))
	for i, f := range frames {
		if i >= len(p.calls) {
			return nil, fmt.Errorf("harness wrote %d frames for %d calls", len(frames), len(p.calls))
		}
		var w wireReply
		if err := json.Unmarshal(f, &w); err != nil {
			return nil, fmt.Errorf("harness frame %d: %w", i, err)
		}
		c := p.calls[i]
		ranks, want := p.code.Funcs[c.fn].ResultRanks, p.calls[indexOf(p, c.fn, c.cs)].want
		if len(w.R) != len(ranks) {
			return nil, fmt.Errorf("harness frame %d: %d results, want %d", i, len(w.R), len(ranks))
		}
		out[i] = reply{changed: w.M, shares: w.S, bad: make([]string, len(ranks)), results: make([]autograd.Tensor, len(ranks))}
		for k, raw := range w.R {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("harness frame %d: %w", i, err)
			}
			if msg := oversized(v, want[k]); msg != "" {
				out[i].bad[k] = msg
				continue
			}
			out[i].results[k], out[i].bad[k] = toTensor(v, ranks[k])
		}
	}
	return out, nil
}

// oversized reads what the harness writes instead of a result with more rows or elements than
// the reference's result want: {"rows": n} or {"elements": n}. It returns "" for anything else.
func oversized(v any, want autograd.Tensor) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	what, n := "elements", m["elements"]
	if rows, ok := m["rows"]; ok {
		what, n = "rows", rows
	}
	count, _ := n.(float64)
	return fmt.Sprintf("has %d %s; it must have shape %s", int64(count), what, autograd.ShapeString(want.Shape))
}

// toTensor converts a decoded result of the given rank; a nil slice or ragged rows come back as a
// message for the student.
func toTensor(v any, rank int) (autograd.Tensor, string) {
	switch rank {
	case 0:
		x, ok := number(v)
		if !ok {
			return autograd.Tensor{}, "is not a number"
		}
		return autograd.Scalar(x), ""
	case 1:
		row, msg := vector(v)
		if msg != "" {
			return autograd.Tensor{}, msg
		}
		return autograd.Tensor{Shape: []int{len(row)}, Data: row}, ""
	}
	rows, ok := v.([]any)
	if !ok {
		return autograd.Tensor{}, "is a nil slice"
	}
	t := autograd.Tensor{Shape: []int{len(rows), 0}, Data: []float64{}}
	for i, r := range rows {
		row, msg := vector(r)
		if msg != "" {
			return autograd.Tensor{}, fmt.Sprintf("has row %d that %s", i, msg)
		}
		if i > 0 && len(row) != t.Shape[1] {
			return autograd.Tensor{}, "has rows of different lengths"
		}
		t.Shape[1] = len(row)
		t.Data = append(t.Data, row...)
	}
	return t, ""
}

func vector(v any) ([]float64, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, "is a nil slice"
	}
	out := make([]float64, len(items))
	for i, it := range items {
		if out[i], ok = number(it); !ok {
			return nil, "holds something that is not a number"
		}
	}
	return out, ""
}

// number reads a JSON number, or the strings "NaN", "+Inf" and "-Inf" the harness writes.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil && (math.IsNaN(f) || math.IsInf(f, 0))
	}
	return 0, false
}

// sameBits reports whether a and b are the same results bit for bit.
func sameBits(a, b reply) bool {
	for k := range a.results {
		x, y := a.results[k], b.results[k]
		if a.bad[k] != b.bad[k] || !autograd.SameShape(x.Shape, y.Shape) || len(x.Data) != len(y.Data) {
			return false
		}
		for i := range x.Data {
			if math.Float64bits(x.Data[i]) != math.Float64bits(y.Data[i]) {
				return false
			}
		}
	}
	return true
}
