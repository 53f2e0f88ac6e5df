package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/pgtest"
)

// `skolflow seed` loads a register into an empty database and prints one line of what it
// loaded; run again, it refuses with one line naming DATABASE_URL and exit code 2, and a scale
// it does not know is a usage error.
func TestSeed(t *testing.T) {
	env := []string{"DATABASE_URL=" + pgtest.NewURL(t)}
	seed := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"seed"}, args...)...)
		cmd.Env = append(baseEnv(), env...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); ok {
			return out.String(), errb.String(), exit.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), 0
	}

	out, stderr, code := seed("--scale", "school")
	if code != 0 || !strings.HasPrefix(out, "seeded school in ") || !strings.Contains(out, " 250 pupils, 360 guardians, 42 staff") ||
		strings.Count(out, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want one line of what was seeded", code, out, stderr)
	}

	_, stderr, code = seed("--scale", "school")
	if code != 2 || !strings.HasPrefix(stderr, "skolflow: DATABASE_URL: holds a register already") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("seeding a seeded database: exit %d, stderr %q; want 2 and one line naming DATABASE_URL", code, stderr)
	}

	if out, stderr, code = seed("--scale", "school", "--replace"); code != 0 || !strings.HasPrefix(out, "seeded school in ") {
		t.Fatalf("replacing a seed: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	_, stderr, code = seed("--scale", "town")
	if code != 2 || stderr != "skolflow seed: no scale \"town\": choose school, district or city\n" {
		t.Fatalf("an unknown scale: exit %d, stderr %q", code, stderr)
	}
}
