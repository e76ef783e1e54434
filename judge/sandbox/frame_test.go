package sandbox

import (
	"regexp"
	"slices"
	"testing"
)

func TestNewNonce(t *testing.T) {
	a, b := NewNonce(), NewNonce()
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(a) {
		t.Errorf("NewNonce: got %q, want 32 hex digits", a)
	}
	if a == b {
		t.Errorf("NewNonce twice: got %q both times, want different nonces", a)
	}
}

func TestParseFrames(t *testing.T) {
	const n = "0123456789abcdef0123456789abcdef"
	frame := func(p string) string { return string(Frame(n, []byte(p))) }
	tests := []struct {
		name        string
		stdout      string
		nonce       string
		wantPayload []string
		wantStudent string
	}{
		{"empty", "", n, nil, ""},
		{"only frames", frame("[1]") + frame("[2]"), n, []string{"[1]", "[2]"}, ""},
		{"student lines around frames", "hello\n" + frame("[1]") + "bye\n", n, []string{"[1]"}, "hello\nbye\n"},
		{"student print without newline", "no newline" + frame("[1]"), n, []string{"[1]"}, "no newline"},
		{"forged frame with another nonce", "\nffffffffffffffffffffffffffffffff [9]\n" + frame("[1]"), n,
			[]string{"[1]"}, "\nffffffffffffffffffffffffffffffff [9]\n"},
		{"nonce without the separating space", "\n" + n + "[9]\n", n, nil, "\n" + n + "[9]\n"},
		{"frame cut by the output limit", frame("[1]") + "\n" + n + " [2,", n, []string{"[1]"}, ""},
		{"empty payload", frame(""), n, []string{""}, ""},
		{"empty nonce finds nothing", frame("[1]"), "", nil, frame("[1]")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payloads, student := ParseFrames([]byte(tt.stdout), tt.nonce)
			var got []string
			for _, p := range payloads {
				got = append(got, string(p))
			}
			if !slices.Equal(got, tt.wantPayload) {
				t.Errorf("payloads: got %q, want %q", got, tt.wantPayload)
			}
			if string(student) != tt.wantStudent {
				t.Errorf("student output: got %q, want %q", student, tt.wantStudent)
			}
		})
	}
}

func TestFrameStdin(t *testing.T) {
	if got, want := string(FrameStdin("abc", []byte("[1]"))), "abc\n[1]"; got != want {
		t.Errorf("FrameStdin: got %q, want %q", got, want)
	}
}
