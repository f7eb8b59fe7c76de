//go:build unix

package run

import (
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup puts the command in a process group of its own, so that
// the terminal's Ctrl-C reaches repro, which stops the command itself.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// stopProcess sends SIGINT to the command's process group (Python raises
// KeyboardInterrupt), then SIGKILL when it has not ended after 5 seconds.
func stopProcess(cmd *exec.Cmd, done <-chan struct{}) {
	pid := cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGINT)
	select {
	case <-done:
		return
	case <-time.After(5 * time.Second):
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	<-done
}

// processAlive reports whether the process exists.
func processAlive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) == nil
}
