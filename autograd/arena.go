package autograd

// arena hands out float64 buffers carved from large slabs, so that a backward pass on small
// tensors costs a few allocations instead of one per node. Buffers stay valid until reset, which
// SetInputs calls: from then on the first slab is handed out again.
type arena struct {
	first []float64 // the first slab, kept for reuse after reset
	slab  []float64 // what is left of the current slab
}

// reset makes every buffer handed out so far invalid and starts again at the first slab.
func (a *arena) reset() { a.slab = a.first }

// arenaSlabFloats is the smallest slab: enough for several backward passes over a lesson graph.
const arenaSlabFloats = 512

// zeros returns a zeroed tensor of the given shape; the shape slice is shared, not copied (shapes
// are never modified in place).
func (a *arena) zeros(shape []int) Tensor {
	n := size(shape)
	if n > len(a.slab) {
		a.slab = make([]float64, max(arenaSlabFloats, 4*n))
		if a.first == nil {
			a.first = a.slab
		}
	}
	t := Tensor{Shape: shape, Data: a.slab[:n:n]}
	clear(t.Data)
	a.slab = a.slab[n:]
	return t
}

func (a *arena) full(shape []int, v float64) Tensor {
	t := a.zeros(shape)
	if v == 0 {
		return t
	}
	for i := range t.Data {
		t.Data[i] = v
	}
	return t
}

func (a *arena) clone(t Tensor) Tensor {
	c := a.zeros(t.Shape)
	copy(c.Data, t.Data)
	return c
}
