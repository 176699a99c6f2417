//go:build race

package heavy

const raceEnabled = true
