//go:build !unix

package main

import "time"

// processCPU is zero where the process's CPU time is not available.
func processCPU() time.Duration { return 0 }
