package integration

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/ss12000"
)

// receiver is a subscriber's callback server: it takes notifications while up, refuses them
// (503) while down, and keeps each it took, once by its id.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	down    bool
	refused int
	took    []string // ids, in the order taken
	bodies  []ss12000.Notification
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.down {
			r.refused++
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		id := req.Header.Get(ss12000.NotificationIDHeader)
		if !slices.Contains(r.took, id) {
			var n ss12000.Notification
			if err := json.Unmarshal(body, &n); err != nil || id == "" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			r.took, r.bodies = append(r.took, id), append(r.bodies, n)
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) set(down bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = down
}

// state answers what the receiver has taken and how often it refused.
func (r *receiver) state() (bodies []ss12000.Notification, refused int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.bodies), r.refused
}

// notifier runs the SS 12000 notifier as the API process does, until the test ends.
func notifier(t testing.TB, s *stack) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ss12000.Notifier(area.Env{DB: s.db, Temporal: s.temporal, TaskQueue: s.queue, Log: zap.NewNop(), Config: s.timings.settings(s.queue)})(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// A client subscribes to persons and placements. Each change reaches its receiver; while the
// receiver is down, notifications are tried again, and when it is up every change is told, the
// receiver reading them as the standard says (meta.modified.after, deletedEntities). While the
// subscription is expired, changes wait; renewed, they are told. Deleted, its process ends.
// A callback that is no URL, or whose host the operator does not allow, is refused.
func TestSS12000SubscriptionsTellEveryChange(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	notifier(t, s)
	rec := newReceiver(t)
	c := s.asClient("larplattform")
	subscribe := func(target string, types ...string) map[string]any {
		var rt []map[string]string
		for _, ty := range types {
			rt = append(rt, map[string]string{"resource": ty})
		}
		return map[string]any{"name": "Lärplattformens prenumeration", "target": target, "resourceTypes": rt}
	}
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{subscribe("not a url", "Person"), "target"},
		{subscribe("http://10.0.0.1/hook", "Person"), "target"},
		{subscribe("http://169.254.169.254/latest/meta-data", "Person"), "target"},
		{subscribe("ftp://127.0.0.1/hook", "Person"), "target"},
		{subscribe(rec.URL, "Room"), "resourceTypes"},
		{subscribe(rec.URL), "resourceTypes"},
	} {
		if e := expect[api.StandardError](c, http.StatusBadRequest, "POST", std+"/subscriptions", bad.body); !strings.Contains(e.Message, bad.field+":") {
			t.Errorf("%v: %+v, want %s named", bad.body, e, bad.field)
		}
	}
	var made int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM ss12000_subscriptions`).Scan(&made); err != nil {
		t.Fatal(err)
	}
	if made != 0 {
		t.Fatalf("refused subscriptions made %d", made)
	}
	if r := s.asClient("maltidsservice").do("POST", std+"/subscriptions", subscribe(rec.URL, "Person"), nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a client not granted subscriptions: %d", r.StatusCode)
	}

	c = s.asClient("larplattform")
	sub := expect[ss12000.Subscription](c, http.StatusCreated, "POST", std+"/subscriptions", subscribe(rec.URL+"/hook", "Person", "Placement"))
	if sub.ID == "" || !sub.Expires.After(time.Now()) || len(sub.ResourceTypes) != 2 {
		t.Fatalf("the subscription: %+v", sub)
	}
	if list := expect[struct{ Data []ss12000.Subscription }](c, http.StatusOK, "GET", std+"/subscriptions", nil); len(list.Data) != 1 || list.Data[0].ID != sub.ID {
		t.Fatalf("the client's subscriptions: %+v", list)
	}
	expect[ss12000.Subscription](c, http.StatusOK, "GET", std+"/subscriptions/"+sub.ID, nil)

	change := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.db.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	told := func(what string, want func([]ss12000.Notification) bool) {
		t.Helper()
		eventually(t, 30*time.Second, what, func() bool {
			bodies, _ := rec.state()
			return want(bodies)
		})
	}
	// Up: a change of a person is told.
	change(`UPDATE persons SET family_name = 'Lindström' WHERE id = $1`, s.id("elev-2"))
	told("the first change", func(b []ss12000.Notification) bool {
		return len(b) == 1 && slices.Equal(b[0].ModifiedEntites, []string{"Person"}) && !b[0].DeletedEntities
	})

	// Down: changes wait, and the notification is tried again.
	rec.set(true)
	var since time.Time
	if err := s.db.QueryRow(ctx, `SELECT now()`).Scan(&since); err != nil {
		t.Fatal(err)
	}
	change(`UPDATE persons SET family_name = 'Lindgren' WHERE id = ANY ($1)`, []string{s.id("elev-1"), s.id("vh-2")})
	placement := queryIDs(t, s, `SELECT id::text FROM placements WHERE child_id = $1`, s.id("barn-1"))
	change(`DELETE FROM placements WHERE child_id = $1`, s.id("barn-1"))
	eventually(t, 30*time.Second, "the receiver to refuse twice", func() bool {
		_, refused := rec.state()
		return refused >= 2
	})
	var failing bool
	if err := s.db.QueryRow(ctx, `SELECT failing_since IS NOT NULL FROM ss12000_subscriptions WHERE id = $1`, sub.ID).Scan(&failing); err != nil {
		t.Fatal(err)
	}
	if !failing {
		t.Fatal("a subscription whose receiver refuses is not marked failing")
	}
	rec.set(false)
	told("the changes made while it was down", func(b []ss12000.Notification) bool {
		return len(b) >= 2 && b[len(b)-1].DeletedEntities && slices.Contains(b[len(b)-1].ModifiedEntites, "Person")
	})
	// The receiver reads what changed as the standard says, and finds every change once.
	after := since.Format(time.RFC3339Nano)
	changed, _ := pages(c, std+"/persons?meta.modified.after="+strings.ReplaceAll(after, "+", "%2B"), 10)
	if got := slices.Sorted(slices.Values(idsOf(changed))); !slices.Equal(got, slices.Sorted(slices.Values([]string{s.id("elev-1"), s.id("vh-2")}))) {
		t.Fatalf("the persons changed while the receiver was down: %v", got)
	}
	deleted := expect[struct{ Data map[string][]string }](c, http.StatusOK, "GET", std+"/deletedEntities?after="+strings.ReplaceAll(after, "+", "%2B"), nil)
	if !slices.Equal(deleted.Data["placements"], placement) {
		t.Fatalf("the deletions while the receiver was down: %v", deleted.Data)
	}
	var pending int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM ss12000_pending WHERE subscription_id = $1`, sub.ID).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(ctx, `SELECT failing_since IS NOT NULL FROM ss12000_subscriptions WHERE id = $1`, sub.ID).Scan(&failing); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || failing {
		t.Fatalf("%d changes still pending after the receiver took them; failing %v", pending, failing)
	}

	// Expired: a change waits for the renewal.
	change(`UPDATE ss12000_subscriptions SET expires = now() - interval '1 second' WHERE id = $1`, sub.ID)
	before, _ := rec.state()
	change(`UPDATE persons SET family_name = 'Lindblad' WHERE id = $1`, s.id("elev-1"))
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM ss12000_pending WHERE subscription_id = $1`, sub.ID).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending != 1 {
		t.Fatalf("%d changes pending for the expired subscription, want 1", pending)
	}
	renewed := expect[ss12000.Subscription](c, http.StatusOK, "PATCH", std+"/subscriptions/"+sub.ID, nil)
	if !renewed.Expires.After(time.Now()) {
		t.Fatalf("renewed: %+v", renewed)
	}
	told("the change made while it was expired", func(b []ss12000.Notification) bool { return len(b) == len(before)+1 })

	// Deleted: its process ends, and nothing more is pending.
	if r := c.do("DELETE", std+"/subscriptions/"+sub.ID, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting the subscription: %d", r.StatusCode)
	}
	eventually(t, 30*time.Second, "the delivery process to end", func() bool {
		d, err := s.temporal.DescribeWorkflowExecution(ctx, ss12000.DeliveryID(sub.ID), "")
		return err == nil && d.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	if r := c.do("GET", std+"/subscriptions/"+sub.ID, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted subscription: %d", r.StatusCode)
	}
	recordHistory(t, s, ss12000.DeliveryID(sub.ID), "", "ss12000/testdata/delivery_down_expired_deleted.json")
}
