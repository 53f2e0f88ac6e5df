package integration

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/workflows"
)

// mailTo returns the mail the sink received for a demo user.
func mailTo(s *stack, user string) []mailsink.Message {
	var out []mailsink.Message
	for _, m := range s.mailbox.Messages() {
		if slices.Contains(m.To, user+"@skolflow.test") || (m.Channel == "sms" && user == "sms") {
			out = append(out, m)
		}
	}
	return out
}

type delivery struct {
	state    string
	attempts int
	err      *string
}

func deliveryOf(t *testing.T, s *stack, recipient, channel string) delivery {
	t.Helper()
	var d delivery
	s.db.QueryRow(context.Background(), `SELECT d.state, d.attempts, d.last_error FROM deliveries d
		JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1 AND d.channel = $2`,
		s.id(recipient), channel).Scan(&d.state, &d.attempts, &d.err)
	return d
}

// A task for a person reaches them through every channel they chose, in their language, over
// real SMTP and the SMS gateway interface, and in the in-app inbox.
func TestATaskReachesItsAssigneeOnEveryChannel(t *testing.T) {
	s := newStack(t)
	// larare-a1 chooses email and SMS, in Swedish.
	if r := s.as("larare-a1").do("PUT", "/api/v1/me/contact", api.ContactPreferences{Language: "sv",
		Email: ptr("larare-a1@skolflow.test"), Phone: ptr("+46701234501"), Channels: []string{"email", "sms"}}, nil); r.StatusCode != 200 {
		t.Fatalf("setting preferences: %d", r.StatusCode)
	}
	startDecision(t, s, workflows.DecisionInput{DecidedBy: workflows.Assignee{PersonID: s.id("larare-a1")}, DeliveryDeadline: time.Minute})
	// larare-a2 reads English and chose email only.
	startDecision(t, s, workflows.DecisionInput{DecidedBy: workflows.Assignee{PersonID: s.id("larare-a2")}, DeliveryDeadline: time.Minute})

	eventually(t, 15*time.Second, "mail and SMS", func() bool {
		return len(mailTo(s, "larare-a1")) == 1 && len(mailTo(s, "larare-a2")) == 1 && len(mailTo(s, "sms")) == 1
	})
	if m := mailTo(s, "larare-a1")[0]; m.Subject != "Ny uppgift i Skolflow" || !strings.Contains(m.Body, "leave.decide") {
		t.Errorf("Swedish mail: %q / %q", m.Subject, m.Body)
	}
	if m := mailTo(s, "larare-a2")[0]; m.Subject != "New task in Skolflow" {
		t.Errorf("English mail: %q", m.Subject)
	}
	if m := mailTo(s, "sms")[0]; m.To[0] != "+46701234501" || !strings.Contains(m.Body, "Ny uppgift") {
		t.Errorf("SMS: %+v", m)
	}
	for _, m := range s.mailbox.Messages() {
		if strings.Contains(m.Body, "Maja") || strings.Contains(m.Body, "Lind") {
			t.Errorf("a message names the pupil: %q", m.Body)
		}
	}
	var inbox []api.NotificationView
	eventually(t, 5*time.Second, "the deliveries recorded as sent", func() bool {
		s.as("larare-a1").do("GET", "/api/v1/notifications?unread=true", nil, &inbox)
		return len(inbox) == 1 && len(inbox[0].Deliveries) == 2 &&
			inbox[0].Deliveries[0].State == "sent" && inbox[0].Deliveries[1].State == "sent"
	})
	if r := s.as("larare-a1").do("POST", "/api/v1/notifications/"+inbox[0].ID+"/read", nil, nil); r.StatusCode != 204 {
		t.Fatalf("marking read: %d", r.StatusCode)
	}
	if r := s.as("larare-a2").do("POST", "/api/v1/notifications/"+inbox[0].ID+"/read", nil, nil); r.StatusCode != 404 {
		t.Fatalf("marking someone else's notification read: %d, want 404", r.StatusCode)
	}
	s.as("larare-a1").do("GET", "/api/v1/notifications?unread=true", nil, &inbox)
	if len(inbox) != 0 {
		t.Fatalf("unread after reading: %v", inbox)
	}
}

// A worker killed between sending and recording is tested with real processes in
// cmd/skolflow (TestAWorkerKilledBetweenSendingAndRecordingDeliversOnce).

// With the SMTP server down, the delivery stays queued, retried with backoff, and goes when the
// server comes back.
func TestSMTPDownStaysQueuedUntilItReturns(t *testing.T) {
	addr := freeAddr(t)
	s := newStack(t, func(c *stackConfig) { c.smtpAddr = addr })
	startDecision(t, s, workflows.DecisionInput{DecidedBy: workflows.Assignee{PersonID: s.id("larare-a2")}, DeliveryDeadline: time.Minute})
	eventually(t, 10*time.Second, "a failed attempt", func() bool {
		d := deliveryOf(t, s, "larare-a2", "email")
		return d.state == "queued" && d.attempts >= 2 && d.err != nil
	})
	if d := deliveryOf(t, s, "larare-a2", "email"); *d.err != "the email server did not answer" {
		t.Errorf("queued with error %q", *d.err)
	}
	late, err := mailsink.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	eventually(t, 20*time.Second, "the delivery once the server is back", func() bool {
		return len(late.Messages()) == 1 && deliveryOf(t, s, "larare-a2", "email").state == "sent"
	})
}

// A delivery that never goes is given up on at its deadline, recorded as failed with the reason,
// and the process is told: its history shows it.
func TestADeliveryThatNeverGoesIsReported(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.smtpAddr = freeAddr(t) })
	process, _ := startDecision(t, s, workflows.DecisionInput{DecidedBy: workflows.Assignee{PersonID: s.id("larare-a2")},
		DeliveryDeadline: 3 * time.Second})
	eventually(t, 15*time.Second, "the delivery to fail", func() bool {
		return deliveryOf(t, s, "larare-a2", "email").state == "failed"
	})
	var history api.ProcessView
	eventually(t, 5*time.Second, "the failure in the history", func() bool {
		s.as("rektor-a").do("GET", "/api/v1/processes/"+process, nil, &history)
		return slices.ContainsFunc(history.Events, func(e api.ProcessEvent) bool { return e.Kind == "delivery-failed" })
	})
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Each person sets their own channels; what cannot work is refused, naming each field.
func TestContactPreferencesAreChecked(t *testing.T) {
	s := newStack(t).as("vh-1")
	var p api.Problem
	r := s.do("PUT", "/api/v1/me/contact", map[string]any{"language": "de", "email": "not-an-address",
		"channels": []string{"sms", "pigeon"}}, &p)
	var fields []string
	for _, f := range p.Errors {
		fields = append(fields, f.Field)
	}
	slices.Sort(fields)
	if r.StatusCode != 422 || !slices.Equal(fields, []string{"channels", "email", "language", "phone"}) {
		t.Fatalf("%d %v, want 422 naming channels, email, language and phone", r.StatusCode, fields)
	}
	var got api.ContactPreferences
	s.do("GET", "/api/v1/me/contact", nil, &got)
	if got.Language != "sv" || !slices.Equal(got.Channels, []string{"email"}) {
		t.Fatalf("after a refused change: %+v, want the demo's sv and email", got)
	}
}
