//go:build !unix

package office

import "os/exec"

func killGroup(cmd *exec.Cmd) {}
