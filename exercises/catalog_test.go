package exercises

import (
	"testing"
)

func loadCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadEmbedded(t *testing.T) {
	c := loadCatalog(t)
	if n := len(c.Exercises()); n < 16 {
		t.Errorf("the catalog has %d exercises, want at least 16", n)
	}
	for _, e := range c.All() {
		names := make([]string, len(e.Required))
		for i, r := range e.Required {
			names[i] = r.Name
		}
		t.Logf("%-32s required %v", e.ID, names)
	}
}
