//go:build unix

package sandbox

import (
	"context"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// withMemoryAllocator makes every linear memory instantiated under ctx an anonymous private
// mapping of its maximum size (the memory limit). Growing it never copies, the kernel commits
// only the pages the guest touches, and closing the module returns it all at once. The default
// allocator instead appends to a Go slice: a program that grows to the limit makes the judge
// copy and hold several times the limit, and takes seconds to reach it.
func withMemoryAllocator(ctx context.Context) context.Context {
	return experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(
		func(_, max uint64) experimental.LinearMemory { return &mappedMemory{max: max} }))
}

// mappedMemory is one linear memory backed by mmap. wazero calls Free once, when the module is
// closed, after the guest has stopped running.
type mappedMemory struct {
	max uint64
	buf []byte
}

func (m *mappedMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if m.buf == nil && m.max > 0 {
		buf, err := syscall.Mmap(-1, 0, int(m.max), syscall.PROT_READ|syscall.PROT_WRITE,
			syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			return nil
		}
		m.buf = buf
	}
	if m.buf == nil {
		return []byte{}
	}
	return m.buf[:size]
}

func (m *mappedMemory) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}
