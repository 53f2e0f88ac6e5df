// Package integration drives Skolflow end to end on the real stack: the Temporal dev server (the
// pinned CLI), real PostgreSQL, the real worker and the real HTTP router over real HTTP.
package integration

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/temporaltest"
)

// temporalServer is shared by the tests of this package; each test uses its own namespace, task
// queue and database, so they cannot see each other's work. It is the CLI's dev server, or with
// SKOLFLOW_TEMPORAL_SERVER=postgres (`make bench TEMPORAL=postgres`) Temporal Server persisting in
// PostgreSQL.
var temporalServer temporaltest.Server

func TestMain(m *testing.M) {
	flag.Parse()
	// Benchmarks measure the server as it comes; tests get the one tuned for them.
	start := temporaltest.StartForTests
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		start = temporaltest.Start
	}
	srv, err := temporaltest.FromEnvironment(pgtest.ServerURL(), start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		os.Exit(1)
	}
	temporalServer = srv
	code := m.Run()
	if err := dropSeeded(); err != nil {
		fmt.Fprintln(os.Stderr, "integration: dropping the seeded registers:", err)
	}
	if err := srv.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "integration: stopping the Temporal server:", err)
	}
	os.Exit(code)
}
