//go:build !unix

package sandbox

import "context"

// withMemoryAllocator keeps wazero's default allocator where mmap is not available; the
// Runner then reserves the whole limit up front (WithMemoryCapacityFromMax).
func withMemoryAllocator(ctx context.Context) context.Context { return ctx }
