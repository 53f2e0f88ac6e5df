package activities_test

import (
	"context"
	"testing"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/workflows"
)

// Notify is idempotent per (process, recipient, purpose, occasion): a retried activity finds
// its notification and queues nothing more; another occasion is a new notification.
func TestNotifyOncePerProcessRecipientAndPurpose(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := demo.LoadRegister(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadContacts(ctx, db); err != nil {
		t.Fatal(err)
	}
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
	other, _ := a.Notify(ctx, req)
	var notifications, deliveries int
	db.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, req.Recipient).Scan(&notifications)
	db.QueryRow(ctx, `SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1`,
		req.Recipient).Scan(&deliveries)
	if other.ID == first.ID || notifications != 2 || deliveries != 4 {
		t.Fatalf("%d notifications and %d deliveries, want 2 and 4", notifications, deliveries)
	}
	// vh-2 reads English.
	var subject string
	db.QueryRow(ctx, `SELECT subject FROM notifications WHERE id = $1`, first.ID).Scan(&subject)
	if subject != "New task in Skolflow" {
		t.Errorf("subject %q, want vh-2's English", subject)
	}
}
