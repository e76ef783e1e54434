package sandbox

import (
	"fmt"
	"sync"
)

// capWriter keeps the first limit bytes written to it and drops the rest. The first write past
// the limit calls onExceed once (a Runner cancels the run there). Writes never fail, so a
// program that ignores write errors is not pushed into a loop of failing writes.
type capWriter struct {
	mu       sync.Mutex
	limit    int
	buf      []byte
	exceeded bool
	onExceed func()
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	room := w.limit - len(w.buf)
	if len(p) <= room {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	w.buf = append(w.buf, p[:max(room, 0)]...)
	if !w.exceeded && w.onExceed != nil {
		w.onExceed()
	}
	w.exceeded = true
	return len(p), nil
}

// bytes returns what was kept and whether anything was dropped.
func (w *capWriter) bytes() ([]byte, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf, w.exceeded
}

// headTailWriter keeps the first and the last limit/2 bytes written to it: the start of a
// program's stderr and the runtime's final words both survive a flood.
type headTailWriter struct {
	mu    sync.Mutex
	half  int
	head  []byte
	tail  []byte // grows to 2*half, then keeps its last half
	total int64
}

func newHeadTailWriter(limit int) *headTailWriter {
	return &headTailWriter{half: max(limit/2, 1)}
}

func (w *headTailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.total += int64(len(p))
	q := p
	if n := min(w.half-len(w.head), len(q)); n > 0 {
		w.head = append(w.head, q[:n]...)
		q = q[n:]
	}
	if len(q) > w.half {
		q = q[len(q)-w.half:]
	}
	if len(w.tail)+len(q) > 2*w.half {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-w.half:]...)
	}
	w.tail = append(w.tail, q...)
	return len(p), nil
}

// String returns the head, a note of how much was dropped if anything was, and the tail.
func (w *headTailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	tail := w.tail[max(len(w.tail)-w.half, 0):]
	dropped := w.total - int64(len(w.head)) - int64(len(tail))
	if dropped <= 0 {
		return string(w.head) + string(tail)
	}
	return fmt.Sprintf("%s\n... %d bytes omitted ...\n%s", w.head, dropped, tail)
}
