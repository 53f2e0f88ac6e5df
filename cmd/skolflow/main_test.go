package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/temporaltest"
)

// These tests run the real binary as a user would, and check what the user sees: exit codes,
// the one line that names a wrong setting, and that nothing is left running.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "skolflow-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "skolflow")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBinary starts the binary with env added to a clean environment and waits for it.
func runBinary(t *testing.T, env []string, args ...string) (stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(baseEnv(), env...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return errb.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return errb.String(), 0
}

func baseEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Each invalid setting stops the binary with exit code 2 and one line naming the setting,
// without echoing a secret.
func TestInvalidConfigurationNamesTheSetting(t *testing.T) {
	cases := []struct{ env, setting string }{
		{"DATABASE_URL=postgres://user:hunter2@%zz/db", "DATABASE_URL"},
		{"SKOLFLOW_HTTP_ADDR=no-port", "SKOLFLOW_HTTP_ADDR"},
		{"TEMPORAL_ADDRESS=localhost", "TEMPORAL_ADDRESS"},
		{"SKOLFLOW_SHUTDOWN_TIMEOUT=soon", "SKOLFLOW_SHUTDOWN_TIMEOUT"},
		{"SKOLFLOW_LOG_FORMAT=xml", "SKOLFLOW_LOG_FORMAT"},
		{"SKOLFLOW_TEMPORAL_UI_PORT=99999", "SKOLFLOW_TEMPORAL_UI_PORT"},
		{"SKOLFLOW_ABSENCE_NOTICE_WINDOW=-5m", "SKOLFLOW_ABSENCE_NOTICE_WINDOW"},
	}
	for _, c := range cases {
		t.Run(c.setting, func(t *testing.T) {
			stderr, code := runBinary(t, []string{c.env}, "api")
			if code != 2 {
				t.Fatalf("exit code = %d, want 2; stderr: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "skolflow: "+c.setting+": ") {
				t.Fatalf("stderr = %q, want one line naming %s", stderr, c.setting)
			}
			if strings.Contains(stderr, "hunter2") {
				t.Fatal("the message echoes the database password")
			}
		})
	}
}

// `skolflow client FILE` registers a machine client with its grants; a file with problems names
// each and writes nothing.
func TestClientFile(t *testing.T) {
	url := pgtest.NewURL(t)
	db := "DATABASE_URL=" + url
	if _, code := runBinaryOut(t, []string{db}, "import", "../../internal/demo/register.json"); code != 0 {
		t.Fatalf("importing the demo register: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(file, []byte(`{"id": "8f6d2c1e-3b7a-4c55-9e0f-1a2b3c4d5e6f", "clientId": "bibliotek", "displayName": "Skolbiblioteket",
		"grants": [{"resource": "persons", "organisation": "3b735b9b-2f6e-5fe0-a5cb-f744ea40768d"}]}`), 0o644)
	if stderr, code := runBinary(t, []string{db}, "client", file); code != 0 {
		t.Fatalf("registering a client: exit %d, %s", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"id": "8f6d2c1e-3b7a-4c55-9e0f-1a2b3c4d5e6f", "clientId": "bibliotek", "displayName": "",
		"grants": [{"resource": "grades-everywhere", "organisation": "3b735b9b-2f6e-5fe0-a5cb-f744ea40768d"}]}`), 0o644)
	stderr, code := runBinary(t, []string{db}, "client", bad)
	if code != 1 || !strings.Contains(stderr, bad+": displayName:") || !strings.Contains(stderr, bad+": grants.resource:") {
		t.Fatalf("a bad client file: exit %d, stderr %s", code, stderr)
	}
	pool := pgtest.Open(t, url)
	var name string
	var grants int
	if err := pool.QueryRow(context.Background(), `SELECT c.display_name, (SELECT count(*) FROM api_client_grants g WHERE g.client_id = c.id)
		FROM api_clients c WHERE c.client_id = 'bibliotek'`).Scan(&name, &grants); err != nil {
		t.Fatal(err)
	}
	if name != "Skolbiblioteket" || grants != 1 {
		t.Fatalf("the registered client: %q with %d grants", name, grants)
	}
}

// A sync from something that is no URL, or without the client to sign in with, names what is
// missing and touches nothing.
func TestSyncNamesWhatItLacks(t *testing.T) {
	for _, c := range []struct {
		env     []string
		from    string
		setting string
	}{
		{nil, "register.example", "--from"},
		{nil, "https://register.example/ss12000/v2.1", "SKOLFLOW_SYNC_TOKEN_URL"},
		{[]string{"SKOLFLOW_SYNC_TOKEN_URL=https://idp.example/token"}, "https://register.example/ss12000/v2.1", "SKOLFLOW_SYNC_TOKEN_URL"},
	} {
		stderr, code := runBinary(t, c.env, "sync", "--from", c.from)
		if code != 2 || !strings.HasPrefix(strings.TrimSpace(stderr), "skolflow: "+c.setting+": ") {
			t.Errorf("sync --from %s with %v: exit %d, stderr %q; want 2 naming %s", c.from, c.env, code, stderr, c.setting)
		}
	}
}

func TestUnknownCommandShowsUsage(t *testing.T) {
	stderr, code := runBinary(t, nil, "teleport")
	if code != 2 || !strings.Contains(stderr, "usage: skolflow") {
		t.Fatalf("exit %d, stderr %q; want 2 and the usage", code, stderr)
	}
}

// issuerEnv names an issuer for `skolflow api`, which refuses to start without one; it is read
// only when the first token arrives.
const issuerEnv = "SKOLFLOW_OIDC_ISSUER=http://127.0.0.1:1/issuer"

func TestAPIWithoutIssuerRefusesToStart(t *testing.T) {
	stderr, code := runBinary(t, nil, "api")
	if code != 2 || !strings.HasPrefix(stderr, "skolflow: SKOLFLOW_OIDC_ISSUER: required") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// Unreachable dependencies at start are configuration errors naming the setting.
func TestUnreachableDependenciesAtStart(t *testing.T) {
	deadPort := freePort(t)
	stderr, code := runBinary(t, []string{fmt.Sprintf("DATABASE_URL=postgres://postgres@127.0.0.1:%d/x", deadPort), issuerEnv}, "api")
	if code != 2 || !strings.HasPrefix(stderr, "skolflow: DATABASE_URL: cannot connect to PostgreSQL") {
		t.Errorf("PostgreSQL down: exit %d, stderr %q", code, stderr)
	}
	stderr, code = runBinary(t, []string{
		"DATABASE_URL=" + pgtest.NewURL(t),
		fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", deadPort),
		issuerEnv,
	}, "api")
	if code != 2 || !strings.HasPrefix(stderr, "skolflow: TEMPORAL_ADDRESS: cannot reach Temporal") {
		t.Errorf("Temporal down: exit %d, stderr %q", code, stderr)
	}
}

// The API's port already taken: exit 2 naming SKOLFLOW_HTTP_ADDR.
func TestHTTPPortInUse(t *testing.T) {
	temporal, err := temporaltest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer temporal.Stop()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	stderr, code := runBinary(t, []string{
		"DATABASE_URL=" + pgtest.NewURL(t),
		"TEMPORAL_ADDRESS=" + temporal.FrontendHostPort(),
		"SKOLFLOW_HTTP_ADDR=" + taken.Addr().String(),
		issuerEnv,
	}, "api")
	want := "skolflow: SKOLFLOW_HTTP_ADDR: " + taken.Addr().String() + " is already in use"
	if code != 2 || strings.TrimSpace(stderr) != want {
		t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}

// devEnv is the environment of a `skolflow dev` on free ports with its own state.
func devEnv(t *testing.T, temporalPort int) (env []string, api, dataDir string) {
	dataDir = t.TempDir()
	api = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	return []string{
		"DATABASE_URL=" + pgtest.NewURL(t),
		"SKOLFLOW_HTTP_ADDR=" + api,
		fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", temporalPort),
		fmt.Sprintf("SKOLFLOW_TEMPORAL_UI_PORT=%d", freePort(t)),
		"SKOLFLOW_DATA_DIR=" + dataDir,
		fmt.Sprintf("SKOLFLOW_SMTP_ADDR=127.0.0.1:%d", freePort(t)),
		"SKOLFLOW_TEMPORAL_BIN=" + temporalBinary(t),
	}, api, dataDir
}

func temporalBinary(t *testing.T) string {
	if b := os.Getenv("SKOLFLOW_TEMPORAL_BIN"); b != "" {
		return b
	}
	b, err := filepath.Abs("../../.bin/temporal")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// `skolflow dev` (what `make run` runs) comes up ready with its demo data, and Ctrl-C stops
// everything it started: exit code 0 and no Temporal dev server left behind.
func TestDevStartsReadyAndStopsEverythingOnCtrlC(t *testing.T) {
	env, api, dataDir := devEnv(t, freePort(t))
	cmd := exec.Command(binary, "dev")
	cmd.Env = append(baseEnv(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	welcome := make(chan string, 1)
	var printed sync.Mutex
	var b strings.Builder // what the binary printed so far, for a failure's message
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			printed.Lock()
			b.WriteString(sc.Text() + "\n")
			printed.Unlock()
			if strings.HasPrefix(sc.Text(), "Ctrl-C stops everything") {
				printed.Lock()
				welcome <- b.String()
				printed.Unlock()
			}
		}
	}()
	select {
	case text := <-welcome:
		for _, want := range []string{"http://" + api + "/api/v1", "(web UI)", "http://" + api + "/dev/token", "http://" + api + "/api/v1/persons/"} {
			if !strings.Contains(text, want) {
				t.Errorf("welcome text lacks %q:\n%s", want, text)
			}
		}
	case <-time.After(90 * time.Second):
		printed.Lock()
		defer printed.Unlock()
		t.Fatalf("no welcome text within 90s; stdout:\n%s\nstderr:\n%s", b.String(), stderr.String())
	}
	res, err := http.Get("http://" + api + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz after start: %v %v", res, err)
	}
	res.Body.Close()
	// Operators see how far behind the absence days are.
	res, err = http.Get("http://" + api + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(metrics), "\nskolflow_absence_outbox_rows 0\n") {
		t.Errorf("/metrics lacks the absence outbox's size")
	}
	// Sign in as the welcome text says, and the token works against the API.
	res, err = http.Post("http://"+api+"/dev/token", "application/json", strings.NewReader(`{"user":"larare-a1"}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("POST /dev/token: %v %v", res, err)
	}
	var tok struct{ AccessToken string }
	json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	req, _ := http.NewRequest("GET", "http://"+api+"/api/v1/me/groups", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/me/groups with a dev token: %v %v", res, err)
	}
	res.Body.Close()
	if children := processesMentioning(dataDir); len(children) == 0 {
		t.Fatal("no Temporal dev server process found while running")
	}

	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after Ctrl-C: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("still running 60s after Ctrl-C")
	}
	if left := processesMentioning(dataDir); len(left) > 0 {
		t.Fatalf("processes left running after exit: %v", left)
	}
}

// The Temporal port already taken: `skolflow dev` exits 2 with the reason, leaving nothing behind.
func TestDevWithTemporalPortTakenExitsCleanly(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	env, _, dataDir := devEnv(t, taken.Addr().(*net.TCPAddr).Port)
	stderr, code := runBinary(t, env, "dev")
	want := "skolflow: TEMPORAL_ADDRESS: " + taken.Addr().String() + " is already in use"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
	if left := processesMentioning(dataDir); len(left) > 0 {
		t.Fatalf("processes left running: %v", left)
	}
}

// processesMentioning lists the PIDs whose command line contains s.
func processesMentioning(s string) []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(s)) {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

// `skolflow import FILE`: the first run writes the register, the second changes nothing and
// says so, and a file with problems lists each with its location and writes nothing.
func TestImportFile(t *testing.T) {
	db := "DATABASE_URL=" + pgtest.NewURL(t)
	file := "../../internal/demo/register.json"
	out, code := runBinaryOut(t, []string{db}, "import", file)
	if code != 0 || !strings.Contains(out, `"changed": true`) {
		t.Fatalf("first import: exit %d, out %s", code, out)
	}
	out, code = runBinaryOut(t, []string{db}, "import", file)
	if code != 0 || !strings.Contains(out, `"changed": false`) {
		t.Fatalf("second import: exit %d, out %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"persons": [{"id": "not-a-uuid", "givenName": "A", "familyName": "B", "civicNo": "201001012387"}]}`), 0o644)
	stderr, code := runBinary(t, []string{db}, "import", bad)
	if code != 1 || !strings.Contains(stderr, bad+": /persons/0/id: must be a UUID") ||
		!strings.Contains(stderr, bad+": /persons/0/civicNo: has a wrong check digit") {
		t.Fatalf("a bad file: exit %d, stderr %s", code, stderr)
	}
}

// runBinaryOut is runBinary returning standard output.
func runBinaryOut(t *testing.T, env []string, args ...string) (stdout string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(baseEnv(), env...)
	out, err := cmd.Output()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}
