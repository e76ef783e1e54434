//go:build !linux

package sandbox

// withAddressSpaceLimit sets no limit outside Linux, where `ulimit -v` is not dependable.
func withAddressSpaceLimit(tool string, args []string, _ int64) (string, []string, bool) {
	return tool, args, false
}

// wrapperFailed is never true: there is no wrapper.
func wrapperFailed(int) bool { return false }

// addressSpaceLimited reports whether builds here run under Limits.CompileMemoryBytes.
func addressSpaceLimited(int64) bool { return false }
