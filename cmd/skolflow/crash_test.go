package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/temporaltest"
	"github.com/skolflow/skolflow/workflows"
)

// A worker process killed after the mail server took a message but before the worker recorded
// it as sent: a second worker tries again with the same Message-ID, and the recipient's mailbox
// holds exactly one message, not two and not zero.
func TestAWorkerKilledBetweenSendingAndRecordingDeliversOnce(t *testing.T) {
	ctx := context.Background()
	temporal, dbURL, db := demoPlatform(t)
	if err := demo.LoadContacts(ctx, db); err != nil {
		t.Fatal(err)
	}
	sink, err := mailsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	queue := "crash-" + uuid.NewString()
	startWorker := func() *exec.Cmd {
		cmd := exec.Command(binary, "worker")
		cmd.Env = append(baseEnv(), "DATABASE_URL="+dbURL, "TEMPORAL_ADDRESS="+temporal.FrontendHostPort(),
			"SKOLFLOW_TASK_QUEUE="+queue, "SKOLFLOW_SMTP_ADDR="+sink.Addr(), "SKOLFLOW_LOG_LEVEL=error",
			fmt.Sprintf("SKOLFLOW_HTTP_ADDR=127.0.0.1:%d", freePort(t)))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	first := startWorker()
	killed := make(chan struct{})
	var once sync.Once
	sink.BeforeReply = func(mailsink.Message) {
		once.Do(func() {
			first.Process.Kill() // SIGKILL: no chance to record anything
			first.Wait()
			close(killed)
		})
	}

	c, err := client.Dial(client.Options{HostPort: temporal.FrontendHostPort()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	in := workflows.DecisionInput{Kind: "leave.decide", SchoolID: demo.OrgID("a"), PupilID: demo.PersonID("elev-1"),
		DecidedBy: workflows.Assignee{PersonID: demo.PersonID("larare-a2")}, Choices: []string{"granted", "refused"},
		DeliveryDeadline: 2 * time.Minute}
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.DecisionID(in.Kind, in.PupilID, uuid.NewString()), TaskQueue: queue}, workflows.Decision, in); err != nil {
		t.Fatal(err)
	}
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatal("the first worker never sent the mail")
	}
	second := startWorker()
	defer func() { second.Process.Kill(); second.Wait() }()

	var state string
	var attempts int
	deadline := time.Now().Add(90 * time.Second)
	for state != "sent" {
		if time.Now().After(deadline) {
			t.Fatalf("the delivery is %q after %d attempts, want sent", state, attempts)
		}
		time.Sleep(250 * time.Millisecond)
		err := db.QueryRow(ctx, `SELECT d.state, d.attempts FROM deliveries d JOIN notifications n ON n.id = d.notification_id
			WHERE n.recipient_id = $1 AND d.channel = 'email'`, demo.PersonID("larare-a2")).Scan(&state, &attempts)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) { // no row yet: no delivery yet
			t.Fatal(err)
		}
	}
	if attempts != 2 {
		t.Errorf("attempts = %d, want 2: the killed one and the retry", attempts)
	}
	if got := len(sink.Messages()); got != 1 {
		t.Fatalf("the recipient's mailbox holds %d messages, want exactly 1", got)
	}
}

// demoPlatform starts a Temporal dev server for the test and makes a database of its own with
// the demo register, for the binary's processes to run on.
func demoPlatform(t *testing.T) (temporal *testsuite.DevServer, dbURL string, db *pgxpool.Pool) {
	t.Helper()
	temporal, err := temporaltest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = temporal.Stop() })
	dbURL = pgtest.NewURL(t)
	db = pgtest.Open(t, dbURL)
	if _, err := demo.LoadRegister(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return temporal, dbURL, db
}
