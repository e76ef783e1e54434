package sandbox

import (
	"strings"
	"testing"
)

func TestCapWriter(t *testing.T) {
	calls := 0
	w := &capWriter{limit: 5, onExceed: func() { calls++ }}
	for _, s := range []string{"ab", "cd", "efg", "hij"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q): got %d, %v, want %d, nil", s, n, err, len(s))
		}
	}
	got, exceeded := w.bytes()
	if string(got) != "abcde" || !exceeded || calls != 1 {
		t.Errorf("got %q, exceeded %v, %d calls; want \"abcde\", true, 1 call", got, exceeded, calls)
	}
}

func TestHeadTailWriter(t *testing.T) {
	tests := []struct {
		name   string
		limit  int
		writes []string
		want   string
	}{
		{"under the limit", 10, []string{"abc", "de"}, "abcde"},
		{"exactly the limit", 4, []string{"ab", "cd"}, "abcd"},
		{"one long write", 4, []string{"abcdefgh"}, "ab\n... 4 bytes omitted ...\ngh"},
		{"many small writes", 6, []string{"12", "34", "56", "78", "90"}, "123\n... 4 bytes omitted ...\n890"},
		{"tail compaction", 4, []string{"ab", "c", "d", "e", "f", "g", "h", "i"}, "ab\n... 5 bytes omitted ...\nhi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newHeadTailWriter(tt.limit)
			for _, s := range tt.writes {
				w.Write([]byte(s))
			}
			if got := w.String(); got != tt.want {
				t.Errorf("String: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHeadTailWriterFlood(t *testing.T) {
	w := newHeadTailWriter(1000)
	for i := range 100000 {
		w.Write([]byte(strings.Repeat("x", i%7) + "\n"))
	}
	if got := len(w.String()); got > 1100 {
		t.Errorf("len(String()): got %d, want about 1000", got)
	}
}
