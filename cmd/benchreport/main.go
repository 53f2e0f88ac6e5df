// Command benchreport turns the output of `go test -bench` into the benchmark report: it copies
// its input to standard output as it comes, and at the end writes report.md and report.json to
// the folder -out, with the machine, the versions and the date. With -count above 1, each
// figure is the median of the runs, with their spread (lowest and highest).
//
//	go test -run '^$' -bench . ./integration | go run ./cmd/benchreport -out bench
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "bench", "the folder the report is written to")
	settings := flag.String("settings", "", "how the benchmarks were run, for the report (e.g. BENCH=. BENCHTIME=300x)")
	flag.Parse()
	results, failed := read(io.TeeReader(os.Stdin, os.Stdout))
	if failed {
		fmt.Fprintln(os.Stderr, "benchreport: the benchmarks failed; no report written")
		os.Exit(1)
	}
	if len(results) == 0 {
		fmt.Fprintln(os.Stderr, "benchreport: no benchmark results in the input; no report written")
		os.Exit(1)
	}
	r := Report{Date: time.Now().UTC().Format(time.RFC3339), Settings: *settings, Machine: machine(), Versions: versions(),
		Results: results}
	if err := r.write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "benchreport: wrote %s and %s\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "report.json"))
}

// read collects the benchmark lines: "BenchmarkName-2  300  8201116 ns/op  155.5 p50-ms ...". It
// reports failure when a benchmark or the test binary failed.
func read(in io.Reader) ([]Result, bool) {
	byName := map[string]*Result{}
	var order []string
	failed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "--- FAIL") || line == "FAIL" || strings.HasPrefix(line, "FAIL\t") {
			failed = true
		}
		name, run, ok := parseLine(line)
		if !ok {
			continue
		}
		if byName[name] == nil {
			byName[name] = &Result{Name: name, Metrics: map[string]*Metric{}}
			order = append(order, name)
		}
		res := byName[name]
		res.Runs++
		for unit, v := range run {
			if res.Metrics[unit] == nil {
				res.Metrics[unit] = &Metric{}
			}
			res.Metrics[unit].Values = append(res.Metrics[unit].Values, v)
		}
	}
	out := make([]Result, 0, len(order))
	for _, name := range order {
		res := byName[name]
		for _, m := range res.Metrics {
			m.summarize()
		}
		out = append(out, *res)
	}
	return out, failed
}
