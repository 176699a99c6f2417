//go:build unix

package office

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of a process group and kills the whole
// group when its context ends: soffice starts soffice.bin as a child.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
