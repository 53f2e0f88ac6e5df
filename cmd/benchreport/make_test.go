package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// `make bench` (and `make run`) with a setting it does not know stops before doing anything,
// with one line naming the setting. make -n only prints what it would run.
func TestMakeRefusesAnUnknownSetting(t *testing.T) {
	for _, c := range []struct{ goal, setting string }{
		{"bench", "BENCH=NoSuchBenchmark"},
		{"bench", "SCALE=town"},
		{"bench", "TEMPORAL=sqlite"},
		{"run", "TEMPORAL=sqlite"},
	} {
		out, err := makeDryRun(c.goal, c.setting)
		if err == nil {
			t.Errorf("make %s %s succeeded, want it refused", c.goal, c.setting)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], c.setting) {
			t.Errorf("make %s %s said %q, want one line naming %s", c.goal, c.setting, out, c.setting)
		}
	}
	// A known setting passes the check: make -n prints the commands it would run.
	if out, err := makeDryRun("bench", "BENCH=MorningPeak", "SCALE=city", "TEMPORAL=postgres"); err != nil {
		t.Errorf("make -n bench with known settings: %v: %s", err, out)
	}
}

// makeDryRun runs make -n at the repository's root, as a person would: not as a sub-make of
// `make test`, whose flags and variables would otherwise be passed down.
func makeDryRun(args ...string) ([]byte, error) {
	cmd := exec.Command("make", append([]string{"-n"}, args...)...)
	cmd.Dir = "../.."
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MAKE") && !strings.HasPrefix(kv, "MFLAGS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd.CombinedOutput()
}
