// Package cputime reads the CPU time the process has used, on every
// thread. Benchmarks report it beside the wall time: on a shared machine
// the wall time counts the time other jobs held the cores, the CPU time
// much less so.
package cputime

import "time"

// Used returns the user and system CPU time the process has used so far;
// 0 where the system does not say.
func Used() time.Duration { return used() }
