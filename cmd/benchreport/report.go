package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Report is what report.json holds.
type Report struct {
	Date     string            `json:"date"`
	Settings string            `json:"settings"`
	Machine  map[string]string `json:"machine"`
	Versions map[string]string `json:"versions"`
	Results  []Result          `json:"results"`
}

// Result is one benchmark: its figures over the runs.
type Result struct {
	Name    string             `json:"name"`
	Runs    int                `json:"runs"`
	Metrics map[string]*Metric `json:"metrics"` // by unit, e.g. "p50-ms", "reg/s", "ratio"
}

// Metric is one figure of a benchmark over its runs.
type Metric struct {
	Values []float64 `json:"values"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
}

func (m *Metric) summarize() {
	v := slices.Clone(m.Values)
	slices.Sort(v)
	m.Min, m.Max = v[0], v[len(v)-1]
	if n := len(v); n%2 == 1 {
		m.Median = v[n/2]
	} else {
		m.Median = (v[n/2-1] + v[n/2]) / 2
	}
}

// parseLine reads a benchmark result line into its name (without the -N of GOMAXPROCS) and its
// figures by unit; the iteration count is the figure "runs/op"-free "n".
func parseLine(line string) (string, map[string]float64, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
		return "", nil, false
	}
	n, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		return "", nil, false
	}
	name := f[0]
	if i := strings.LastIndex(name, "-"); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	figures := map[string]float64{"n": n}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", nil, false
		}
		figures[f[i+1]] = v
	}
	return name, figures, true
}

func (r Report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.md"), []byte(r.markdown()), 0o644)
}

func (r Report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmark report\n\n%s, `%s`\n\n", r.Date, r.Settings)
	fmt.Fprintf(&b, "| machine | |\n|---|---|\n")
	for _, k := range sortedKeys(r.Machine) {
		fmt.Fprintf(&b, "| %s | %s |\n", k, r.Machine[k])
	}
	for _, k := range sortedKeys(r.Versions) {
		fmt.Fprintf(&b, "| %s | %s |\n", k, r.Versions[k])
	}
	for _, res := range r.Results {
		fmt.Fprintf(&b, "\n## %s\n\n%d run(s); the median, and the lowest and highest of the runs.\n\n", res.Name, res.Runs)
		fmt.Fprintf(&b, "| figure | median | spread |\n|---|---|---|\n")
		for _, unit := range sortedKeys(res.Metrics) {
			m := res.Metrics[unit]
			fmt.Fprintf(&b, "| %s | %s | %s – %s |\n", unit, num(m.Median), num(m.Min), num(m.Max))
		}
	}
	return b.String()
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// machine describes where the benchmarks ran.
func machine() map[string]string {
	m := map[string]string{"cores": strconv.Itoa(runtime.NumCPU()), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if cpu, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(cpu), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if mem, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(strings.SplitN(string(mem), "\n", 2)[0]); len(f) >= 2 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				m["memory"] = fmt.Sprintf("%.1f GiB", kb/1024/1024)
			}
		}
	}
	return m
}

// versions names the parts measured: Go, the Temporal server (the CLI's dev server, or with
// SKOLFLOW_TEMPORAL_SERVER=postgres Temporal Server on PostgreSQL) and PostgreSQL.
func versions() map[string]string {
	v := map[string]string{"go": runtime.Version()}
	run := func(name string, args ...string) string {
		out, err := exec.Command(name, args...).Output()
		if err != nil {
			return "unknown"
		}
		return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	if os.Getenv("SKOLFLOW_TEMPORAL_SERVER") == "postgres" {
		v["temporal"] = "Temporal Server on PostgreSQL, " + run(envOr("SKOLFLOW_TEMPORAL_SERVER_BIN", ".bin/temporal-server"), "--version")
	} else {
		v["temporal"] = "the CLI's dev server, in memory, " + run(envOr("SKOLFLOW_TEMPORAL_BIN", ".bin/temporal"), "--version")
	}
	v["postgresql"] = run("psql", os.Getenv("DATABASE_URL"), "-tAc", "SHOW server_version")
	return v
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
