//go:build !unix

package run

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

// stopProcess kills the command.
func stopProcess(cmd *exec.Cmd, done <-chan struct{}) {
	_ = cmd.Process.Kill()
	<-done
}

func processAlive(int) bool { return false }
