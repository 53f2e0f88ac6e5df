package integration

import (
	"context"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/store"
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

// deliveryOf is the delivery by channel of the notification to the person (a register id).
func deliveryOf(t *testing.T, s *stack, recipient, channel string) delivery {
	t.Helper()
	var d delivery
	err := s.db.QueryRow(context.Background(), `SELECT d.state, d.attempts, d.last_error FROM deliveries d
		JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1 AND d.channel = $2`,
		recipient, channel).Scan(&d.state, &d.attempts, &d.err)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) { // no row yet: no delivery yet
		t.Fatalf("the delivery to %s by %s: %v", recipient, channel, err)
	}
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
	// The message says in words what is asked and links to where it is answered; it names no
	// internal kind.
	if m := mailTo(s, "larare-a1")[0]; m.Subject != "Besluta om ledighet för en elev" || !strings.Contains(m.Body, s.api.URL+"/tasks") ||
		strings.Contains(m.Body, "leave.decide") {
		t.Errorf("Swedish mail: %q / %q", m.Subject, m.Body)
	}
	if m := mailTo(s, "larare-a2")[0]; m.Subject != "Decide on leave for a pupil" {
		t.Errorf("English mail: %q", m.Subject)
	}
	if m := mailTo(s, "sms")[0]; m.To[0] != "+46701234501" || !strings.Contains(m.Body, "Besluta om ledighet") {
		t.Errorf("SMS: %+v", m)
	}
	for _, m := range s.mailbox.Messages() {
		if strings.Contains(m.Body, "Maja") || strings.Contains(m.Body, "Lind") {
			t.Errorf("a message names the pupil: %q", m.Body)
		}
	}
	var inbox []store.NotificationView
	eventually(t, 5*time.Second, "the deliveries recorded as sent", func() bool {
		inbox = get[[]store.NotificationView](s.as("larare-a1"), "/api/v1/notifications?unread=true")
		return len(inbox) == 1 && len(inbox[0].Deliveries) == 2 &&
			inbox[0].Deliveries[0].State == "sent" && inbox[0].Deliveries[1].State == "sent"
	})
	if r := s.as("larare-a1").do("POST", "/api/v1/notifications/"+inbox[0].ID+"/read", nil, nil); r.StatusCode != 204 {
		t.Fatalf("marking read: %d", r.StatusCode)
	}
	if r := s.as("larare-a2").do("POST", "/api/v1/notifications/"+inbox[0].ID+"/read", nil, nil); r.StatusCode != 404 {
		t.Fatalf("marking someone else's notification read: %d, want 404", r.StatusCode)
	}
	if unread := get[[]store.NotificationView](s.as("larare-a1"), "/api/v1/notifications?unread=true"); len(unread) != 0 {
		t.Fatalf("unread after reading: %v", unread)
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
		d := deliveryOf(t, s, s.id("larare-a2"), "email")
		return d.state == "queued" && d.attempts >= 2 && d.err != nil
	})
	if d := deliveryOf(t, s, s.id("larare-a2"), "email"); *d.err != "the email server did not answer" {
		t.Errorf("queued with error %q", *d.err)
	}
	late, err := mailsink.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	eventually(t, 20*time.Second, "the delivery once the server is back", func() bool {
		return len(late.Messages()) == 1 && deliveryOf(t, s, s.id("larare-a2"), "email").state == "sent"
	})
}

// A delivery that never goes is given up on at its deadline, recorded as failed with the reason,
// and the process is told: its history shows it.
func TestADeliveryThatNeverGoesIsReported(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.smtpAddr = freeAddr(t) })
	process, _ := startDecision(t, s, workflows.DecisionInput{DecidedBy: workflows.Assignee{PersonID: s.id("larare-a2")},
		DeliveryDeadline: 3 * time.Second})
	eventually(t, 15*time.Second, "the delivery to fail", func() bool {
		return deliveryOf(t, s, s.id("larare-a2"), "email").state == "failed"
	})
	eventually(t, 5*time.Second, "the failure in the history", func() bool {
		history := get[store.ProcessView](s.as("rektor-a"), "/api/v1/processes/"+process)
		return slices.ContainsFunc(history.Events, func(e store.ProcessEvent) bool { return e.Kind == "delivery-failed" })
	})
}

func freeAddr(t *testing.T) string {
	// A port below the kernel's ephemeral range (32768 and up on Linux): no listener the test
	// starts on port 0 (its API, its issuer, a mailbox) can be given it after it is closed here,
	// so "the server does not answer" stays true until the test itself listens there.
	for range 100 {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 20000+mathrand.IntN(12000)))
		if err != nil {
			continue // taken
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}
	t.Fatal("no free port below the ephemeral range")
	return ""
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
	got := get[api.ContactPreferences](s, "/api/v1/me/contact")
	if got.Language != "sv" || !slices.Equal(got.Channels, []string{"email"}) {
		t.Fatalf("after a refused change: %+v, want the demo's sv and email", got)
	}
}

// waitingLine is what email and SMS say of a message that may not leave the app (Swedish).
const waitingLine = "Du har ett meddelande i Skolflow. Logga in för att läsa det."

// Olle has protected identity. Absent from a lesson, his guardian vh-3 (who chose SMS) is told
// by SMS only that there is a message in Skolflow: no name, day, lesson time or school. The
// message itself is in vh-3's inbox. vh-3 answers, and the mentor's email about the task says
// no more.
func TestProtectedPupilsMessagesLeaveTheAppAsOneLine(t *testing.T) {
	s := newStack(t)
	olle := s.id("elev-3")
	start := clock(randomPastDay(), 9, 0) // a day of its own: 09:00–09:40
	lesson := uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{{ID: lesson, Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"),
		Start: start, End: start.Add(40 * time.Minute)}}}
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, nil); r.StatusCode != 200 {
		t.Fatalf("importing the lesson: %d", r.StatusCode)
	}
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: olle, Status: "absent"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("registering Olle absent: %d", r.StatusCode)
	}
	day := start.Format(time.DateOnly)
	eventually(t, 15*time.Second, "the SMS to Olle's guardian", func() bool { return len(mailTo(s, "sms")) == 1 })
	secrets := []string{"Olle", "Ek", day, "09:00", "Ekbacken"}
	sms := mailTo(s, "sms")[0]
	if sms.To[0] != "+46701234503" || !strings.Contains(sms.Body, waitingLine) {
		t.Errorf("the SMS to %v says %q, want %q to vh-3's phone", sms.To, sms.Body, waitingLine)
	}
	for _, secret := range secrets {
		if strings.Contains(sms.Body, secret) {
			t.Errorf("the SMS carries %q: %q", secret, sms.Body)
		}
	}
	var inbox []store.NotificationView
	if r := s.as("vh-3").do("GET", "/api/v1/notifications", nil, &inbox); r.StatusCode != 200 {
		t.Fatalf("vh-3's inbox: %d", r.StatusCode)
	}
	if len(inbox) != 1 || !strings.Contains(inbox[0].Body, "Olle") || !strings.Contains(inbox[0].Body, day) ||
		!strings.Contains(inbox[0].Body, "09:00–09:40") {
		t.Fatalf("vh-3's inbox %+v, want the notice naming Olle, the day and the lesson", inbox)
	}

	reply := "/api/v1/persons/" + olle + "/absence-days/" + day + "/reply"
	if r := s.as("vh-3").do("POST", reply, absence.AbsenceReplyInput{Reason: "Sjuk"}, nil); r.StatusCode != 200 {
		t.Fatalf("vh-3 answering: %d", r.StatusCode)
	}
	eventually(t, 15*time.Second, "the mentor's email about the task", func() bool { return len(mailTo(s, "larare-a1")) == 1 })
	m := mailTo(s, "larare-a1")[0]
	if !strings.Contains(m.Body, waitingLine) {
		t.Errorf("the mentor's email says %q / %q, want %q", m.Subject, m.Body, waitingLine)
	}
	for _, secret := range secrets {
		if strings.Contains(m.Subject+m.Body, secret) {
			t.Errorf("the mentor's email carries %q: %q / %q", secret, m.Subject, m.Body)
		}
	}
}

// tellOfAbsence is a test process: it tells each recipient of a pupil's absence as an absence
// day tells a guardian, whoever the recipient is.
func tellOfAbsence(ctx workflow.Context, pupil, day string, recipients []string) error {
	for _, r := range recipients {
		req := workflows.NotifyRequest{ProcessID: workflow.GetInfo(ctx).WorkflowExecution.ID, Recipient: r,
			Purpose: "absence.notice", Params: map[string]string{"pupil": pupil, "day": day}}
		if _, err := workflows.Notify(ctx, req, time.Minute); err != nil {
			return err
		}
	}
	return nil
}

// A message about Maja names her to her custodial guardian only: told the same thing, her
// teacher and her grandfather (Annan ansvarig) read "En elev", by email and in the inbox.
func TestNotificationsNameThePupilOnlyToTheirGuardians(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.workflows = []any{tellOfAbsence} })
	users := []string{"vh-1", "larare-a1", "annan-1"}
	var recipients []string
	for _, u := range users {
		recipients = append(recipients, s.id(u))
	}
	run, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "tell:" + uuid.NewString(),
		TaskQueue: s.queue}, tellOfAbsence, s.id("elev-1"), "2026-12-01", recipients)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "an email to each", func() bool {
		return len(mailTo(s, "vh-1")) == 1 && len(mailTo(s, "larare-a1")) == 1 && len(mailTo(s, "annan-1")) == 1
	})
	if m := mailTo(s, "vh-1")[0]; !strings.Contains(m.Subject+m.Body, "Maja") {
		t.Errorf("Maja's guardian's email does not name her: %q / %q", m.Subject, m.Body)
	}
	for _, u := range []string{"larare-a1", "annan-1"} {
		m := mailTo(s, u)[0]
		var inbox []store.NotificationView
		if r := s.as(u).do("GET", "/api/v1/notifications", nil, &inbox); r.StatusCode != 200 || len(inbox) != 1 {
			t.Fatalf("%s's inbox: %d %+v", u, r.StatusCode, inbox)
		}
		text := m.Subject + m.Body + inbox[0].Subject + inbox[0].Body
		if strings.Contains(text, "Maja") || strings.Contains(text, "Lind") || !strings.Contains(m.Body, "En elev") {
			t.Errorf("%s is told %q / %q, want \"En elev\" and not her name", u, m.Subject, m.Body)
		}
	}
}
