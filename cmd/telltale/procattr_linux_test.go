package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes a child process get SIGKILL if the test process dies
// first (a panic skips cleanups), so no server outlives its test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
