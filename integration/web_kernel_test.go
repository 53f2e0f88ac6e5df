package integration

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/store"
)

// A guardian's message, opened, is read: the list showed it unread, and the API now has the
// time it was read. Its text says what is asked in words and links to the page that answers it.
func TestANotificationIsReadWhenOpened(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	from, to := leaveDays(2)
	expect[leave.Application](s.as("vh-1"), http.StatusCreated, "POST", "/api/v1/persons/"+pupil+"/leave-applications",
		leave.ApplicationInput{From: from, To: to, Reason: "Resa"})
	var note store.NotificationView
	eventually(t, 15*time.Second, "vh-2's message about the consent", func() bool {
		for _, n := range get[[]store.NotificationView](s.as("vh-2"), "/api/v1/notifications") {
			if n.ReadAt == nil {
				note = n
				return true
			}
		}
		return false
	})
	p := s.browse(t, "vh-2")
	status, html := p.get("/notifications")
	if status != http.StatusOK || !strings.Contains(html, `class="unread"`) || !strings.Contains(html, "/notifications/"+note.ID) {
		t.Fatalf("the list: %d\n%s", status, html)
	}
	status, html = p.get("/notifications/" + note.ID)
	if status != http.StatusOK {
		t.Fatalf("the message: %d", status)
	}
	if strings.Contains(html, "leave.consent") || !strings.Contains(html, s.api.URL+"/tasks") {
		t.Errorf("the message does not say in words what is asked, or where:\n%s", textOf(html))
	}
	for _, n := range get[[]store.NotificationView](s.as("vh-2"), "/api/v1/notifications") {
		if n.ID == note.ID && n.ReadAt == nil {
			t.Fatal("the message opened is still unread")
		}
	}
	// Another person's message is no page of theirs.
	other := s.browse(t, "vh-1")
	if status, _ := other.get("/notifications/" + note.ID); status != http.StatusNotFound {
		t.Fatalf("another's message: %d, want 404", status)
	}
}

// A task answered elsewhere meanwhile: the form sent from the stale page says so plainly (409)
// and shows the inbox as it is now; the answer is not taken twice.
func TestAStaleTaskFormSaysItWasDone(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	from, to := leaveDays(2)
	expect[leave.Application](s.as("vh-1"), http.StatusCreated, "POST", "/api/v1/persons/"+pupil+"/leave-applications",
		leave.ApplicationInput{From: from, To: to, Reason: "Resa"})
	task := taskFor(t, s, "vh-2", "leave.consent", pupil)
	p := s.browse(t, "vh-2") // who reads English
	if status, html := p.get("/tasks"); status != http.StatusOK || !strings.Contains(html, `id="task-`+task.ID+`"`) {
		t.Fatalf("the inbox: %d", status)
	}
	// The same person answers on another device.
	expect[map[string]any](s.as("vh-2"), http.StatusOK, "POST", "/api/v1/tasks/"+task.ID+"/complete",
		map[string]any{"payload": map[string]any{"consent": "agree"}})
	res, html := p.post("/tasks/"+task.ID, url.Values{"consent": {"refuse"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "already done") || strings.Contains(html, `id="task-`+task.ID+`"`) {
		t.Fatalf("a stale answer: %d\n%s", res.StatusCode, textOf(html))
	}
	for _, tk := range get[[]store.TaskView](s.as("vh-2"), "/api/v1/tasks?state=completed") {
		if tk.ID == task.ID {
			if got := tk.CompletedBy; got == nil {
				t.Fatal("the task lost its answer")
			}
		}
	}
	if n := s.count(`SELECT count(*) FROM process_events WHERE task_id = $1 AND kind = 'completed'`, task.ID); n != 1 {
		t.Fatalf("%d completions recorded, want 1", n)
	}
}
