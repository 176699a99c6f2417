//go:build !race

package heavy

const raceEnabled = false
