package main

import (
	"strings"
	"testing"
)

// The benchmark lines become figures by benchmark and unit: the median of the runs and their
// spread; other lines are passed over, and a failure is noticed.
func TestReadSummarizesRuns(t *testing.T) {
	in := `goos: linux
BenchmarkRegistration-2   	    2000	   3010221 ns/op	       332.2 reg/s	         0.3920 raw-frac
    bench_register_test.go:120: HTTP: ...
BenchmarkRegistration-2   	    2000	   3010221 ns/op	       300.0 reg/s	         0.3500 raw-frac
BenchmarkRegistration-2   	    2000	   3010221 ns/op	       350.0 reg/s	         0.4100 raw-frac
BenchmarkTaskCompletion   	     300	   8201116 ns/op	       155.5 p50-ms
PASS
`
	results, failed := read(strings.NewReader(in))
	if failed || len(results) != 2 || results[0].Name != "BenchmarkRegistration" || results[0].Runs != 3 {
		t.Fatalf("results %+v, failed %v", results, failed)
	}
	m := results[0].Metrics["reg/s"]
	if m.Median != 332.2 || m.Min != 300 || m.Max != 350 || results[1].Metrics["p50-ms"].Median != 155.5 {
		t.Fatalf("reg/s %+v, task p50 %+v", m, results[1].Metrics["p50-ms"])
	}
	if _, failed := read(strings.NewReader("--- FAIL: BenchmarkX\nFAIL\n")); !failed {
		t.Fatal("a failed run was not noticed")
	}
}
