package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	_ "github.com/skolflow/skolflow/internal/app" // every area of the school, with its settings
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/leave"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.TemporalAddress != "127.0.0.1:7233" || c.LogFormat != "json" ||
		absence.NoticeWindow.In(c) != 10*time.Minute || c.TaskQueue != "skolflow" {
		t.Fatalf("defaults = %+v", c)
	}
	dev, _ := config.Load(env(nil), true)
	if dev.LogFormat != "console" {
		t.Errorf("dev log format = %q, want console", dev.LogFormat)
	}
}

func TestInvalidSettingIsNamed(t *testing.T) {
	_, err := config.Load(env(map[string]string{"SKOLFLOW_ABSENCE_DAY_LENGTH": "0s"}), false)
	var se *config.SettingError
	if !errors.As(err, &se) || se.Name != "SKOLFLOW_ABSENCE_DAY_LENGTH" {
		t.Fatalf("err = %v, want a SettingError naming SKOLFLOW_ABSENCE_DAY_LENGTH", err)
	}
}

// An area's setting is checked at Load like the kernel's.
func TestInvalidAreaSettingIsNamed(t *testing.T) {
	_, err := config.Load(env(map[string]string{"SKOLFLOW_LEAVE_STEP_DUE": "soon"}), false)
	var se *config.SettingError
	if !errors.As(err, &se) || se.Name != "SKOLFLOW_LEAVE_STEP_DUE" {
		t.Fatalf("err = %v, want a SettingError naming SKOLFLOW_LEAVE_STEP_DUE", err)
	}
	c, err := config.Load(env(map[string]string{"SKOLFLOW_LEAVE_STEP_DUE": "90m"}), false)
	if err != nil || leave.StepDue.In(c) != 90*time.Minute {
		t.Fatalf("SKOLFLOW_LEAVE_STEP_DUE=90m read as %v (%v)", leave.StepDue.In(c), err)
	}
}

// The README's configuration table and every setting, the kernel's and the areas', say the same, both ways: every setting has a
// row with its default, and every row is a setting. A row for a variable that only the make
// targets' script reads says so, and the script reads it.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := configurationRows(t, string(readme))
	settings := map[string]string{}
	for _, s := range config.All() {
		settings[s.Name] = s.Default
		if rows[s.Name] == nil {
			t.Errorf("README.md has no configuration row for %s", s.Name)
		} else if rows[s.Name][0] != s.Default {
			t.Errorf("README.md gives %s the default %q, want %q", s.Name, rows[s.Name][0], s.Default)
		}
	}
	for name, row := range rows {
		if _, ok := settings[name]; ok {
			continue
		}
		script, ok := makeOnly[name]
		if !ok || !strings.HasPrefix(row[1], "`make run`/`make test` only") {
			t.Errorf("README.md has a configuration row for %s, which is no setting of config.Settings", name)
			continue
		}
		if body, err := os.ReadFile("../../" + script); err != nil || !strings.Contains(string(body), "${"+name) {
			t.Errorf("README.md says %s is read by the make targets, but %s does not read it (%v)", name, script, err)
		}
	}
}

// makeOnly are the variables of the README's table that the make targets read, not Skolflow:
// by name, the script that reads them.
var makeOnly = map[string]string{"SKOLFLOW_PG_PORT": "scripts/with-postgres.sh"}

// configurationRows answers the rows of the README's configuration table by name: the default
// and the meaning.
func configurationRows(t *testing.T, readme string) map[string][]string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no Configuration section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string][]string{}
	for line := range strings.Lines(section) {
		cells := strings.SplitN(strings.TrimSpace(line), " | ", 3)
		if len(cells) != 3 || !strings.HasPrefix(cells[0], "| `") {
			continue
		}
		name := strings.Trim(strings.TrimPrefix(cells[0], "| "), "`")
		if rows[name] != nil {
			t.Errorf("README.md has two configuration rows for %s", name)
		}
		rows[name] = []string{cells[1], strings.TrimSuffix(cells[2], " |")}
	}
	if len(rows) == 0 {
		t.Fatal("README.md's Configuration section has no table rows")
	}
	return rows
}

// Settings are what Load reads: every setting is read, and nothing is read that is not a
// setting.
func TestSettingsAreWhatLoadReads(t *testing.T) {
	read := map[string]bool{}
	if _, err := config.Load(func(name string) string { read[name] = true; return "" }, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range config.All() {
		if !read[s.Name] {
			t.Errorf("%s is in Settings, but Load never reads it", s.Name)
		}
		delete(read, s.Name)
	}
	for name := range read {
		t.Errorf("Load reads %s, which is not in Settings", name)
	}
}
