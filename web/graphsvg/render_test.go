package graphsvg

import (
	"sync"
	"testing"
)

// TestRendererCaches: a variant is laid out once; marks and focus reuse its layout; new values
// make a new one; the cache never holds more than its size.
func TestRendererCaches(t *testing.T) {
	cases := catalogCases(t)
	r := NewRenderer(2)
	base := Picture{Graph: cases[0].run.Graph(), Values: cases[0].inputs}
	draw := func(p Picture) {
		t.Helper()
		if _, err := r.Render(p); err != nil {
			t.Fatal(err)
		}
	}
	draw(base)
	marked := base
	marked.States = sampleStates(base.Graph)
	marked.Focus = base.Graph.Output()
	draw(marked)
	if got := len(r.layouts); got != 1 {
		t.Fatalf("%d layouts after drawing one variant with and without marks, want 1", got)
	}
	for _, c := range cases[1:4] {
		draw(Picture{Graph: c.run.Graph(), Values: c.inputs})
	}
	if got := len(r.layouts); got != 2 {
		t.Errorf("%d layouts kept, want at most 2", got)
	}
	if none := NewRenderer(-1); func() int { none.Render(base); return len(none.layouts) }() != 0 {
		t.Error("NewRenderer(-1) kept a layout")
	}
}

// BenchmarkRender draws every catalog graph and the lesson's network in each page mode without a
// cache: the cost of a variant's first picture (the budget is 10 ms).
func BenchmarkRender(b *testing.B) {
	pics := benchPictures(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Render(pics[i%len(pics)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderCached draws the same pictures again from a warm Renderer: what a page pays once
// a variant's layout is kept.
func BenchmarkRenderCached(b *testing.B) {
	pics := benchPictures(b)
	r := NewRenderer(0)
	for _, p := range pics {
		r.Render(p)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Render(pics[i%len(pics)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderSlowest draws the slowest single picture (the lesson's network as the flow
// explorer shows it, or the largest catalog graph) without a cache.
func BenchmarkRenderSlowest(b *testing.B) {
	for _, name := range []string{"lesson-closed", "vanishing-gradients", "partial-derivatives"} {
		var pic Picture
		for _, c := range allCases(b) {
			if c.id == name {
				pic = pictureModes(b, c)["flow"]
			}
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Render(pic); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchPictures(b *testing.B) []Picture {
	var pics []Picture
	for _, c := range allCases(b) {
		for _, p := range pictureModes(b, c) {
			pics = append(pics, p)
		}
	}
	return pics
}

// TestRendererConcurrent draws the same pictures from several goroutines at once (run with -race):
// a kept layout is only read.
func TestRendererConcurrent(t *testing.T) {
	cases := catalogCases(t)
	r := NewRenderer(0)
	want := make([]string, len(cases))
	for i, c := range cases {
		html, err := Render(Picture{Graph: c.run.Graph(), Values: c.inputs})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(html)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, c := range cases {
				html, err := r.Render(Picture{Graph: c.run.Graph(), Values: c.inputs})
				if err != nil || string(html) != want[i] {
					t.Errorf("%s: a concurrent drawing differs (%v)", c.id, err)
				}
			}
		})
	}
	wg.Wait()
}
