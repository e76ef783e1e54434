package judge

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gradjudge/autograd"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		msg  string // a part of the complaint; "" when the number is fine
	}{
		{"0.25", 0.25, ""},
		{" -3 ", -3, ""},
		{".5", 0.5, ""},
		{"+2.", 2, ""},
		{"1.5e-3", 0.0015, ""},
		{"-2E2", -200, ""},
		{"-3/4", -0.75, ""},
		{"3 / 4", 0.75, ""},
		{"1.5/3", 0.5, ""},
		{"−0.5", -0.5, ""}, // a typographic minus
		{"", 0, "empty"},
		{"   ", 0, "empty"},
		{"1,5", 0, "use a point"},
		{"NaN", 0, "not a finite number"},
		{"-Inf", 0, "not a finite number"},
		{"infinity", 0, "not a finite number"},
		{"1e999", 0, "too large"},
		{"1/0", 0, "divides by zero"},
		{"3/-4", 0, "simple fraction"},
		{"1/2/3", 0, "simple fraction"},
		{"0x10", 0, "not a number"},
		{"1_000", 0, "not a number"},
		{"2 3", 0, "not a number"},
		{"e5", 0, "not a number"},
		{"½", 0, "not a number"},
	} {
		got, msg := ParseNumber(tc.in)
		switch {
		case tc.msg == "" && msg != "":
			t.Errorf("%q: complaint %q", tc.in, msg)
		case tc.msg != "" && !strings.Contains(msg, tc.msg):
			t.Errorf("%q: complaint %q, want one containing %q", tc.in, msg, tc.msg)
		case tc.msg == "" && got != tc.want:
			t.Errorf("%q = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want autograd.Tensor
		msg  string
	}{
		{`0.5`, autograd.Scalar(0.5), ""},
		{`"-3/4"`, autograd.Scalar(-0.75), ""},
		{`[1, "2/4", -3e-1]`, autograd.Vector(1, 0.5, -0.3), ""},
		{`[[1, 2], ["3", 4]]`, autograd.Matrix([][]float64{{1, 2}, {3, 4}}), ""},
		{``, autograd.Tensor{}, "empty"},
		{`""`, autograd.Tensor{}, "empty"},
		{`null`, autograd.Tensor{}, "empty"},
		{`[]`, autograd.Tensor{}, "empty"},
		{`1e999`, autograd.Tensor{}, "too large"},
		{`[1, "NaN"]`, autograd.Tensor{}, "entry 2"},
		{`[[1, 2], [3]]`, autograd.Tensor{}, "rows of equal length"},
		{`[[[1]]]`, autograd.Tensor{}, "two deep"},
		{`[1, [2]]`, autograd.Tensor{}, "entry 2"},
		{`true`, autograd.Tensor{}, "not a number"},
		{`{"a": 1}`, autograd.Tensor{}, "not a number"},
		{`1 2`, autograd.Tensor{}, "one value"},
		{`[1,`, autograd.Tensor{}, "not readable"},
	} {
		got, msg := ParseField(json.RawMessage(tc.in))
		switch {
		case tc.msg == "" && msg != "":
			t.Errorf("%s: complaint %q", tc.in, msg)
		case tc.msg != "" && !strings.Contains(msg, tc.msg):
			t.Errorf("%s: complaint %q, want one containing %q", tc.in, msg, tc.msg)
		case tc.msg == "" && (!autograd.SameShape(got.Shape, tc.want.Shape) || !slices.Equal(got.Data, tc.want.Data)):
			t.Errorf("%s = %v, want %v", tc.in, got, tc.want)
		}
	}
}
