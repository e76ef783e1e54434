package exercises

import (
	"errors"
	"reflect"
	"testing"
)

// seeds is how many seeds the property tests draw per exercise.
const seeds = 200

func TestEveryExerciseHasVariants(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.All() {
		t.Run(e.ID, func(t *testing.T) {
			t.Parallel()
			draws := 0
			for seed := range uint64(seeds) {
				in, err := e.NewInstance(seed)
				var bad *BadlyAuthoredError
				if errors.As(err, &bad) {
					t.Fatal(err)
				}
				draws += in.Draws
			}
			t.Logf("%.2f draws per variant", float64(draws)/seeds)
		})
	}
}

func TestVariantsAreDeterministic(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.All() {
		a, err := c.Variant(e.ID, 42)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := c.Variant(e.ID, 42)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: seed 42 gives two variants", e.ID)
		}
	}
}
