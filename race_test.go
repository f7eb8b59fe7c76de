//go:build race

package repro

// raceEnabled is true under the race detector, which slows code 5-10x.
const raceEnabled = true
