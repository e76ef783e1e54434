package judge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gradjudge/autograd"
)

// maxFieldElements bounds the numbers one answer field may hold.
const maxFieldElements = 4096

var (
	decimalNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	plainDecimal  = regexp.MustCompile(`^(\d+\.?\d*|\.\d+)$`)
	commaDecimal  = regexp.MustCompile(`^[+-]?\d+,\d+$`)
)

// ParseNumber reads one number as a student types it: a decimal (0.25, -3, .5), scientific
// notation (1.5e-3) or a simple fraction (-3/4, 1.5/2). Its second result, when not "", says what
// is wrong, for the student: empty, a decimal comma, NaN or infinity, or out of range.
func ParseNumber(s string) (float64, string) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "−", "-") // a typographic minus counts as one
	switch {
	case s == "":
		return 0, "the answer is empty: type a number"
	case commaDecimal.MatchString(s):
		return 0, fmt.Sprintf("%q: use a point for decimals, as in %s", s, strings.Replace(s, ",", ".", 1))
	case strings.Contains(strings.ToLower(s), "nan") || strings.Contains(strings.ToLower(s), "inf"):
		return 0, fmt.Sprintf("%q is not a finite number", s)
	}
	if num, den, ok := strings.Cut(s, "/"); ok {
		return parseFraction(s, strings.TrimSpace(num), strings.TrimSpace(den))
	}
	if !decimalNumber.MatchString(s) {
		return 0, fmt.Sprintf("%q is not a number: write it like 0.25, -3, 1.5e-3 or -3/4", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("%q is too large a number", s)
	}
	return v, ""
}

func parseFraction(s, num, den string) (float64, string) {
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(strings.TrimPrefix(num, "-"), "+")
	if !plainDecimal.MatchString(num) || !plainDecimal.MatchString(den) {
		return 0, fmt.Sprintf("%q is not a simple fraction: write it like -3/4", s)
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	switch {
	case err1 != nil || err2 != nil || math.IsInf(n, 0) || math.IsInf(d, 0):
		return 0, fmt.Sprintf("%q is too large a number", s)
	case d == 0:
		return 0, fmt.Sprintf("%q divides by zero", s)
	}
	if neg {
		n = -n
	}
	return n / d, ""
}

// ParseField reads one answer field: a JSON number, a JSON string holding a number, or a JSON
// array of those (a vector) or of such arrays (a matrix). Its second result, when not "", says
// what is wrong, for the student.
func ParseField(raw json.RawMessage) (autograd.Tensor, string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if len(bytes.TrimSpace(raw)) == 0 {
			return autograd.Tensor{}, "the answer is empty: type a number"
		}
		return autograd.Tensor{}, "the answer is not readable: give a number, or a list like [1, 2]"
	}
	if dec.More() {
		return autograd.Tensor{}, "give one value per answer: a number, or a list like [1, 2]"
	}
	return fieldTensor(v)
}

func fieldTensor(v any) (autograd.Tensor, string) {
	list, ok := v.([]any)
	if !ok {
		x, msg := element(v)
		return autograd.Scalar(x), msg
	}
	if len(list) == 0 {
		return autograd.Tensor{}, "the list is empty"
	}
	if _, nested := list[0].([]any); !nested {
		row, msg := numbers(list)
		return autograd.Vector(row...), msg
	}
	rows := make([][]float64, len(list))
	for i, r := range list {
		inner, ok := r.([]any)
		if !ok || len(inner) != len(list[0].([]any)) {
			return autograd.Tensor{}, "a matrix needs rows of equal length, like [[1, 2], [3, 4]]"
		}
		var msg string
		if rows[i], msg = numbers(inner); msg != "" {
			return autograd.Tensor{}, fmt.Sprintf("row %d: %s", i+1, msg)
		}
	}
	if len(rows)*len(rows[0]) > maxFieldElements {
		return autograd.Tensor{}, "the matrix is too large"
	}
	return autograd.Matrix(rows), ""
}

func numbers(list []any) ([]float64, string) {
	if len(list) == 0 || len(list) > maxFieldElements {
		return nil, "a list needs between 1 and 4096 numbers"
	}
	out := make([]float64, len(list))
	for i, v := range list {
		var msg string
		if out[i], msg = element(v); msg != "" {
			return nil, fmt.Sprintf("entry %d: %s", i+1, msg)
		}
	}
	return out, ""
}

// element reads one number given as a JSON number or string.
func element(v any) (float64, string) {
	switch x := v.(type) {
	case json.Number:
		return ParseNumber(x.String())
	case string:
		return ParseNumber(x)
	case nil:
		return 0, "the answer is empty: type a number"
	case []any:
		return 0, "lists nest at most two deep (a matrix)"
	}
	return 0, "not a number: give a number, or a list like [1, 2]"
}
