package app

import (
	"strings"
	"testing"

	"gradjudge"
)

// TestOneLineTexts: a course title and a person's name are one line of text: a control character
// (a line break, a tab, a terminal escape) or a bidirectional override, which would make the text
// around it read in another order wherever it is shown, is refused; letters of any script are not.
func TestOneLineTexts(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	bad := map[string]string{"escape": "Backprop \x1b[2J", "line break": "Back\nprop", "tab": "Back\tprop",
		"right-to-left override": "Backprop \u202etxt.exe", "isolate": "Backprop \u2067x", "C1 control": "Back\u0085prop",
		"too long": strings.Repeat("é", MaxTitleBytes)}
	for name, title := range bad {
		_, err := f.app.CreateCourse(ctx, f.inst, title, nil)
		wantCode(t, "title: "+name, err, gradjudge.EINVALID)
		_, err = f.app.CreateUser(ctx, f.admin, gradjudge.User{Email: "new@example.edu", Name: title, Role: gradjudge.RoleStudent}, "a good password")
		wantCode(t, "name: "+name, err, gradjudge.EINVALID)
		_, err = ParsePaste("name,email\n\"" + title + "\",new@example.edu\n")
		wantCode(t, "pasted name: "+name, err, gradjudge.EINVALID)
	}
	for _, title := range []string{"انتشار خلفي", "逆伝播 <script>", "Backprop — Ünit 1"} {
		if _, err := f.app.CreateCourse(ctx, f.inst, title, nil); err != nil {
			t.Errorf("title %q: %v", title, err)
		}
	}
}
