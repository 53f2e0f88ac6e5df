package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/internal/demo"
)

// A teacher reports degrading treatment in the browser in a few steps: the menu's report page,
// their group, the pupil subjected, where and what (the time is filled in as now); an empty
// report comes back naming what is missing. The principal follows the school's incidents on
// their page, each step with its deadline; a step not acknowledged in time shows as overdue, and
// done late as late. Every page passes axe-core's WCAG 2.1 AA, on a phone too.
func TestIncidentsInTheBrowser(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) { d.IncidentAcknowledgeDue = 3 * time.Second }
	})
	b := browser(t)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "larare-a1")
	desk.Go("/incidents/new")
	desk.AssertAccessible(t)
	desk.ClickAndWait(`a[href="/incidents/new?group=` + demo.GroupID("7a") + `"]`)
	desk.AssertAccessible(t)
	desk.ClickAndWait("main form button")
	if desk.Status() != http.StatusUnprocessableEntity || !desk.Exists(".summary") {
		t.Fatalf("an empty report: %d, want 422 with the summary", desk.Status())
	}
	desk.AssertAccessible(t)
	desk.Click(`input[name="subjected"][value="` + s.id("elev-1") + `"]`)
	desk.Fill("#place", "Skolgården")
	desk.Fill("#description", "Knuffades vid rasten.")
	desk.ClickAndWait("main form button")
	if desk.Status() != http.StatusOK || !desk.Exists(".flash") {
		t.Fatalf("sending the report: %d %q", desk.Status(), desk.Text("main"))
	}
	if n := s.count(`SELECT count(*) FROM incident_pupils WHERE pupil_id = $1 AND role = 'subjected'`, s.id("elev-1")); n != 1 {
		t.Fatalf("%d reports about Maja on record", n)
	}

	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "rektor-a")
	eventually(t, 20*time.Second, "the acknowledgement to be overdue on the principal's page", func() bool {
		phone.Go("/incidents")
		return strings.Contains(phone.URL(), "/schools/"+demo.OrgID("a")+"/incidents") && strings.Contains(phone.Text("main"), "overdue") ||
			strings.Contains(phone.Text("main"), "försenat")
	})
	phone.AssertAccessible(t)
}
