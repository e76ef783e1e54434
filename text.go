package gradjudge

import (
	"strings"
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
