package gradjudge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckText refuses a text that came in from outside (a body field, a header used as a key, a
// name, an email) when it is not valid UTF-8 or holds a NUL byte: such a text would be echoed
// into JSON that is no longer valid, and PostgreSQL refuses it. field names the input in the
// EINVALID message.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s is not valid UTF-8 text", field)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return Errorf(EINVALID, "%s holds a NUL character", field)
	}
	return nil
}

// CheckLine refuses, beyond what CheckText refuses, a text meant as one line (a course's title, a
// person's name) that holds a control character (a line break, a tab, a terminal escape) or a
// bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069): those would
// make the text beside it read in another order wherever it is shown. Letters of every script,
// right-to-left ones included, pass.
func CheckLine(field, s string) error {
	if err := CheckText(field, s); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return Errorf(EINVALID, "%s holds a control character (%U): it must be one line of plain text", field, r)
		}
	}
	return nil
}
