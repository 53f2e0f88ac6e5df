// Package devserver runs the Temporal CLI's dev server as a child process for `skolflow dev`.
//
// The child is started in its own process group with a parent-death signal, so it never
// outlives Skolflow: not on Ctrl-C, not on SIGTERM, and not when Skolflow itself is killed.
package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/skolflow/skolflow/internal/config"
)

// Options says where the binary is and where the server keeps state and listens.
type Options struct {
	Binary    string // the temporal CLI
	DataDir   string // state (SQLite) is kept in DataDir/temporal.db across runs
	Address   string // frontend host:port, e.g. 127.0.0.1:7233
	UIPort    int
	Namespace string
}

// Server is a running dev server.
type Server struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	stderr  *tail
	err     error  // the process's exit error, valid after exited is closed
	address string // the frontend's host:port
}

// FrontendHostPort is where clients reach the server.
func (s *Server) FrontendHostPort() string { return s.address }

// Start launches the dev server and waits until its frontend answers, up to timeout. It fails
// at once with the reason when a port is taken, the binary is missing, or the child exits.
func Start(ctx context.Context, o Options, timeout time.Duration) (*Server, error) {
	host, port, err := net.SplitHostPort(o.Address)
	if err != nil {
		return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: fmt.Sprintf("%q is not host:port", o.Address)}
	}
	if err := portFree(o.Address); err != nil {
		return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: o.Address + " is already in use"}
	}
	uiAddr := net.JoinHostPort(host, strconv.Itoa(o.UIPort))
	if err := portFree(uiAddr); err != nil {
		return nil, &config.SettingError{Name: "SKOLFLOW_TEMPORAL_UI_PORT", Reason: uiAddr + " is already in use"}
	}
	if _, err := os.Stat(o.Binary); err != nil {
		return nil, &config.SettingError{Name: "SKOLFLOW_TEMPORAL_BIN", Reason: o.Binary + " not found; `make temporal` builds it"}
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, &config.SettingError{Name: "SKOLFLOW_DATA_DIR", Reason: err.Error()}
	}
	cmd := exec.Command(o.Binary, "server", "start-dev",
		"--ip", host, "--port", port, "--ui-port", strconv.Itoa(o.UIPort),
		"--namespace", o.Namespace,
		"--db-filename", filepath.Join(o.DataDir, "temporal.db"),
		"--log-level", "warn", "--log-format", "json")
	return startChild(ctx, cmd, "SKOLFLOW_TEMPORAL_BIN", o, timeout)
}

// startChild starts cmd as the server's process, in its own process group and killed with
// Skolflow, and waits until its frontend answers; setting names the binary's setting, for a
// start that fails.
func startChild(ctx context.Context, cmd *exec.Cmd, setting string, o Options, timeout time.Duration) (*Server, error) {
	s := &Server{cmd: cmd, exited: make(chan struct{}), stderr: &tail{}, address: o.Address}
	cmd.Stdout = s.stderr
	cmd.Stderr = s.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, &config.SettingError{Name: setting, Reason: "cannot start " + cmd.Path + ": " + err.Error()}
	}
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx, o, timeout); err != nil {
		s.Stop(5 * time.Second)
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context, o Options, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("the temporal server exited at start: %s", s.stderr.last())
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		c, err := client.DialContext(ctx, client.Options{HostPort: o.Address, Namespace: o.Namespace, Logger: quiet()})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the temporal server did not answer within %s: %s", timeout, s.stderr.last())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Stop asks the server to stop (SIGTERM to its process group) and kills it after grace.
func (s *Server) Stop(grace time.Duration) error {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.exited
	}
	var exitErr *exec.ExitError
	if errors.As(s.err, &exitErr) && !exitErr.Exited() {
		return nil // ended by our signal, as asked
	}
	return s.err
}

// Pid is the child's process ID (tests check that it is gone after Stop).
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// quiet is the SDK logger of the readiness probes: a server not yet up is expected.
func quiet() log.Logger { return log.NewStructuredLogger(slog.New(slog.DiscardHandler)) }

func portFree(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

// tail keeps the last few KiB the child wrote, to explain a failed start.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 8192 {
		t.buf = t.buf[len(t.buf)-8192:]
	}
	return len(p), nil
}

// last returns the last non-empty line the child wrote, or a note that it wrote nothing.
func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := bytes.Split(bytes.TrimSpace(t.buf), []byte("\n"))
	if l := strings.TrimSpace(string(lines[len(lines)-1])); l != "" {
		return l
	}
	return "no output"
}
