//go:build !unix

package repro

import "time"

// cpuTime is not measured here: the callers fall back to wall time.
func cpuTime() time.Duration { return 0 }
