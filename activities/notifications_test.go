package activities_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/workflows"
)

// Notify is idempotent per (process, recipient, purpose, occasion): a retried activity finds
// its notification and queues nothing more; another occasion is a new notification.
func TestNotifyOncePerProcessRecipientAndPurpose(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	a := &activities.Activities{DB: db}
	req := workflows.NotifyRequest{ProcessID: "decision:x", Recipient: demo.PersonID("vh-2"), Purpose: "task.assigned",
		Occasion: "1", Params: map[string]string{"kind": "leave.decide"}}
	first, err := a.Notify(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.Notify(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != again.ID || len(first.Channels) != 2 {
		t.Fatalf("first %+v, again %+v; want the same notification, queued on email and sms (vh-2's choice)", first, again)
	}
	req.Occasion = "2"
	other, err := a.Notify(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var notifications, deliveries int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, req.Recipient).Scan(&notifications); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1`,
		req.Recipient).Scan(&deliveries); err != nil {
		t.Fatal(err)
	}
	if other.ID == first.ID || notifications != 2 || deliveries != 4 {
		t.Fatalf("%d notifications and %d deliveries, want 2 and 4", notifications, deliveries)
	}
	// vh-2 reads English.
	var subject string
	if err := db.QueryRow(ctx, `SELECT subject FROM notifications WHERE id = $1`, first.ID).Scan(&subject); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(subject, "Decide on leave") { // the leave area's own message for its kind
		t.Errorf("subject %q, want vh-2's English", subject)
	}
}

// lastSMS keeps the text of the last SMS it was given to send.
type lastSMS struct{ text string }

func (l *lastSMS) Send(_ context.Context, _, _, text string) error {
	l.text = text
	return nil
}

// Notify words each message by what the register says of the recipient and the pupil: Maja's
// name to her custodial guardian only, not to her teacher or her grandfather (Annan ansvarig);
// Olle, who has protected identity, named to his guardian in the app, while the guardian's SMS,
// which Deliver sends, says only that there is a message in Skolflow.
func TestNotifyNamesThePupilOnlyToTheirGuardians(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	sms := &lastSMS{}
	a := &activities.Activities{DB: db, SMS: sms}
	notice := func(recipient, pupil string) (inApp, outside string) {
		t.Helper()
		n, err := a.Notify(ctx, workflows.NotifyRequest{ProcessID: "absence:" + pupil + ":2026-12-01", Recipient: demo.PersonID(recipient),
			Purpose: "absence.notice", Params: map[string]string{"pupil": demo.PersonID(pupil), "day": "2026-12-01"}})
		if err != nil {
			t.Fatal(err)
		}
		var subject, body, externalSubject, externalBody string
		if err := db.QueryRow(ctx, `SELECT subject, body, external_subject, external_body FROM notifications WHERE id = $1`, n.ID).
			Scan(&subject, &body, &externalSubject, &externalBody); err != nil {
			t.Fatal(err)
		}
		return subject + "\n" + body, externalSubject + "\n" + externalBody
	}

	if in, out := notice("vh-1", "elev-1"); !strings.Contains(in, "Maja") || in != out {
		t.Errorf("to Maja's guardian: %q, by email %q; want her name in both", in, out)
	}
	for _, other := range []string{"larare-a1", "annan-1"} {
		if in, out := notice(other, "elev-1"); strings.Contains(in+out, "Maja") || !strings.Contains(in, "En elev") {
			t.Errorf("to %s: %q, by email %q; want \"En elev\", not her name", other, in, out)
		}
	}
	in, out := notice("vh-3", "elev-3")
	if !strings.Contains(in, "Olle") || !strings.Contains(in, "2026-12-01") {
		t.Errorf("Olle's guardian's inbox: %q, want his name and the day", in)
	}
	waiting := "Meddelande i Skolflow\nDu har ett meddelande i Skolflow. Logga in för att läsa det.\n"
	if out != waiting {
		t.Errorf("Olle's guardian's email and SMS text: %q, want only %q", out, waiting)
	}
	var id string
	if err := db.QueryRow(ctx, `SELECT id::text FROM notifications WHERE recipient_id = $1`, demo.PersonID("vh-3")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := a.Deliver(ctx, workflows.Delivery{NotificationID: id, Channel: "sms"}); err != nil {
		t.Fatal(err)
	}
	if got := sms.text; got != waiting {
		t.Errorf("the SMS sent to Olle's guardian: %q, want only %q", got, waiting)
	}
}

// demoDB is a database of the test's own with the demo register and the demo users' contact
// preferences.
func demoDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	db := pgtest.New(t)
	if _, err := demo.LoadRegister(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadContacts(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}
