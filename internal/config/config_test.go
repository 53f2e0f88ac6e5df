package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.TemporalAddress != "127.0.0.1:7233" || c.LogFormat != "json" ||
		c.AbsenceNoticeWindow != 10*time.Minute || c.TaskQueue != "skolflow" {
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

// The README's configuration table lists every setting with its default, so a newcomer can
// trust it.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings {
		row := "| `" + s.Name + "` | " + s.Default + " |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no row starting %q", row)
		}
	}
}
