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

// TestPastedEmails: a paste saved by a spreadsheet starts with a byte-order mark, which is not
// part of the first address; an address holding an invisible character (a zero-width space
// copied from a web page) is refused rather than made an account nobody can sign in to.
func TestPastedEmails(t *testing.T) {
	got, err := ParsePaste("\ufeffann@example.edu\r\nbob@example.edu\r\n")
	if err != nil || len(got) != 2 || got[0].Email != "ann@example.edu" {
		t.Errorf("a paste with a byte-order mark: %+v, %v", got, err)
	}
	for _, text := range []string{"ann\u200b@example.edu", "name,email\nAnn,\ufeffann@example.edu", "ann@exam\u00adple.edu"} {
		_, err := ParsePaste(text)
		wantCode(t, text, err, gradjudge.EINVALID)
	}
	f := newFixture(t, nil)
	_, err = f.app.CreateUser(t.Context(), f.admin, gradjudge.User{Email: "zed\u200b@example.edu", Name: "Zed", Role: gradjudge.RoleStudent}, "a good password")
	wantCode(t, "an account's email", err, gradjudge.EINVALID)
}
