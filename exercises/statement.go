package exercises

import (
	"strconv"
	"strings"

	"gradjudge/autograd"
)

// fill replaces each {{name}} in text by the parameter's value.
func fill(text string, inputs map[string]autograd.Tensor) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		if t, ok := inputs[name]; ok {
			return FormatTensor(t)
		}
		return m
	})
}

// FormatTensor renders a tensor for students: a number, [1, -0.5] or [[1, 2], [3, 4]], each number
// with up to six significant digits and no trailing zeros.
func FormatTensor(t autograd.Tensor) string {
	switch t.Rank() {
	case 0:
		return FormatNumber(t.Item())
	case 1:
		parts := make([]string, len(t.Data))
		for i, v := range t.Data {
			parts[i] = FormatNumber(v)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	rows := make([]string, t.Shape[0])
	for i := range rows {
		rows[i] = FormatTensor(autograd.Vector(t.Data[i*t.Shape[1] : (i+1)*t.Shape[1]]...))
	}
	return "[" + strings.Join(rows, ", ") + "]"
}

// FormatNumber renders v with up to six significant digits, in plain notation unless it is very
// large or small: 0.25, -3, 0.000123, 1.5e-07.
func FormatNumber(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
