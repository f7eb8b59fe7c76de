//go:build unix

package repro

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used (user + system): a
// measure of work that other processes on a busy machine do not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
