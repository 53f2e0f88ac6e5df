package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// reportIncident has reporter report that elev-1 (Maja) was subjected to degrading treatment at
// school A, in which elev-3 (Olle, protected identity) took part, and answers the report.
func reportIncident(t *testing.T, s *stack, reporter string) incidents.Details {
	t.Helper()
	return expect[incidents.Details](s.as(reporter), http.StatusCreated, "POST", "/api/v1/schools/"+demo.OrgID("a")+"/incidents",
		incidents.ReportInput{Pupils: []incidents.Concerned{{Person: s.id("elev-1"), Role: "subjected"}, {Person: s.id("elev-3"), Role: "involved"}},
			OccurredAt: time.Now().Add(-time.Hour).Truncate(time.Second), Place: "Skolgården", Description: "Knuffades och kallades fula ord."})
}

// addIncident has larare-a1 report that elev-1 was subjected to degrading treatment at school A.
func addIncident(t *testing.T, s *stack) string {
	t.Helper()
	return expect[incidents.Details](s.as("larare-a1"), http.StatusCreated, "POST", "/api/v1/schools/"+demo.OrgID("a")+"/incidents",
		incidents.ReportInput{Pupils: []incidents.Concerned{{Person: s.id("elev-1"), Role: "subjected"}},
			OccurredAt: time.Now().Add(-time.Hour), Place: "Skolgården", Description: "x"}).ID
}

// stepTask waits until user's inbox holds the process's task of kind, and answers it.
func stepTask(t *testing.T, s *stack, user, process, kind string) store.TaskView {
	t.Helper()
	var found store.TaskView
	eventually(t, 15*time.Second, user+"'s "+kind+" task", func() bool {
		inbox := get[[]store.TaskView](s.as(user), "/api/v1/tasks?kind="+kind)
		i := slices.IndexFunc(inbox, func(v store.TaskView) bool { return v.ProcessID == process && v.State == "open" })
		if i >= 0 {
			found = inbox[i]
		}
		return i >= 0
	})
	return found
}

// A report of degrading treatment goes up the chain: the principal's acknowledgement, late, goes
// to the organiser's officers, who acknowledge it; the principal reports to the organiser, hands
// the investigation to a teacher, documents the measures and follows them up. Each step's
// deadline and the time it was met are on record, in the officers' list, which names no pupil.
// Each family is told of its own child and learns nothing of the other party.
func TestAnIncidentGoesUpTheChainInTime(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) { d.IncidentAcknowledgeDue = 3 * time.Second }
	})
	report := reportIncident(t, s, "larare-a1")
	process := incidents.ID(report.ID)
	if report.SchoolUnit != demo.OrgID("a") || report.ReportedBy != s.id("larare-a1") || len(report.Pupils) != 2 || report.Step != "acknowledge" {
		t.Fatalf("the report: %+v", report)
	}

	// Each family is told of its own child only.
	for _, c := range []struct{ guardian, own, other string }{{"vh-1", "Maja", "Olle"}, {"vh-2", "Maja", "Olle"}, {"vh-3", "Olle", "Maja"}} {
		told(t, s, c.guardian, process, "incident.reported")
		for _, n := range get[[]store.NotificationView](s.as(c.guardian), "/api/v1/notifications") {
			if n.ProcessID == process && (!strings.Contains(n.Body, c.own) || strings.Contains(n.Subject+n.Body, c.other)) {
				t.Fatalf("%s was told %q / %q, want of %s alone", c.guardian, n.Subject, n.Body, c.own)
			}
		}
	}
	for _, m := range s.mailbox.Messages() {
		if strings.Contains(m.Body, "Olle") && !slices.Contains(m.To, "vh-3@skolflow.test") {
			t.Fatalf("a message naming the protected pupil went to %v", m.To)
		}
	}
	if r := s.as("vh-1").do("GET", "/api/v1/processes/"+process, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a guardian reading the incident's process: %d, want 404", r.StatusCode)
	}

	// The principal is told of the report at once, not only when they next open their tasks.
	told(t, s, "rektor-a", process, "task.assigned")

	// Not acknowledged in three seconds: the organiser's officers have it.
	ack := stepTask(t, s, "forvaltning", process, "incident.acknowledge")
	completeTask(t, s, "forvaltning", ack, map[string]any{})
	completeTask(t, s, "rektor-a", stepTask(t, s, "rektor-a", process, "incident.report"), map[string]any{"organiserReport": "Anmält till huvudmannen."})
	investigate := stepTask(t, s, "rektor-a", process, "incident.investigate")
	if r := s.as("rektor-a").do("POST", "/api/v1/tasks/"+investigate.ID+"/reassign",
		api.TaskReassignmentRequest{Assignee: workflows.Assignee{PersonID: s.id("larare-a1")}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("handing the investigation to a teacher: %d", r.StatusCode)
	}
	completeTask(t, s, "larare-a1", stepTask(t, s, "larare-a1", process, "incident.investigate"),
		map[string]any{"findings": "Bekräftat av två vittnen.", "degrading": "yes"})
	completeTask(t, s, "rektor-a", stepTask(t, s, "rektor-a", process, "incident.measures"), map[string]any{"measures": "Samtal med eleverna."})
	completeTask(t, s, "rektor-a", stepTask(t, s, "rektor-a", process, "incident.follow-up"), map[string]any{"evaluation": "Inga nya händelser."})
	var out incidents.Outcome
	closed(t, s, process, 30*time.Second, &out)
	if out.DoneBy[incidents.StepAcknowledge] != s.id("forvaltning") || out.DoneBy[incidents.StepInvestigate] != s.id("larare-a1") {
		t.Fatalf("the outcome: %+v", out)
	}

	res, body := s.as("forvaltning").send("GET", "/api/v1/schools/"+demo.OrgID("a")+"/incidents", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the officers' list: %d", res.StatusCode)
	}
	for _, who := range []string{"elev-1", "elev-3"} {
		if strings.Contains(string(body), s.id(who)) {
			t.Fatalf("the officers' list names %s: %s", who, body)
		}
	}
	var list []incidents.Summary
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != report.ID || list[0].Step != "closed" || len(list[0].Steps) != 5 {
		t.Fatalf("the officers' list: %+v", list)
	}
	for _, st := range list[0].Steps {
		late := st.Step == incidents.StepAcknowledge
		if st.DoneAt == nil || st.InTime == nil || *st.InTime == late || st.DueAt.Before(st.OpenedAt) {
			t.Errorf("step %s: done %v, in time %v, want in time %v", st.Step, st.DoneAt, st.InTime, !late)
		}
	}
	// The organiser's officers list every school's incidents at once, a page at a time.
	all := get[[]incidents.Summary](s.as("forvaltning"), "/api/v1/schools/"+demo.OrgID("huvudman")+"/incidents?limit=1")
	if len(all) != 1 || all[0].ID != report.ID {
		t.Fatalf("the organiser's list: %+v", all)
	}
	if next := get[[]incidents.Summary](s.as("forvaltning"), "/api/v1/schools/"+demo.OrgID("huvudman")+"/incidents?before="+
		url.QueryEscape(all[0].ReportedAt.Format(time.RFC3339Nano))); len(next) != 0 {
		t.Fatalf("the page after the last: %+v", next)
	}
	// The report in full: the principal, who may know the protected pupil; not the officers.
	if full := get[incidents.Details](s.as("rektor-a"), "/api/v1/incidents/"+report.ID); full.Description != report.Description || full.Step != "closed" {
		t.Fatalf("the principal's view: %+v", full)
	}
	if r := s.as("forvaltning").do("GET", "/api/v1/incidents/"+report.ID, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the officers reading a report naming a protected pupil: %d, want 404", r.StatusCode)
	}

	// The export for the inspector: every step's deadline and whether it was met, in JSON and in
	// the PDF's text.
	export := get[incidents.Export](s.as("rektor-a"), "/api/v1/incidents/"+report.ID+"/export")
	if len(export.Incident.Steps) != 5 || len(export.History) == 0 || export.Names[s.id("elev-1")] != "Maja Lind" {
		t.Fatalf("the export: %+v", export)
	}
	res, pdf := s.as("rektor-a").send("GET", "/api/v1/incidents/"+report.ID+"/export?format=pdf", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the PDF: %d", res.StatusCode)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"acknowledge", "after its deadline", "in time", "Maja Lind", "Skolgården"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	recordHistory(t, s, process, "", "incidents/testdata/incident_escalated.json")
}

// A report that is wrong names each wrong field and writes nothing: a date in the future, a
// pupil of another school, no pupil subjected.
func TestBadIncidentReportsAreRefused(t *testing.T) {
	s := newStack(t)
	at := "/api/v1/schools/" + demo.OrgID("a") + "/incidents"
	cases := []struct {
		name   string
		in     incidents.ReportInput
		fields []string
	}{
		{"an incident dated in the future", incidents.ReportInput{Pupils: []incidents.Concerned{{Person: s.id("elev-1"), Role: "subjected"}},
			OccurredAt: time.Now().Add(time.Hour), Place: "Matsalen", Description: "x"}, []string{"occurredAt"}},
		{"a report about a pupil of another school", incidents.ReportInput{Pupils: []incidents.Concerned{{Person: s.id("elev-1"), Role: "subjected"},
			{Person: s.id("elev-5"), Role: "involved"}}, OccurredAt: time.Now().Add(-time.Hour), Place: "Matsalen", Description: "x"}, []string{"pupils/1/person"}},
		{"no pupil subjected", incidents.ReportInput{Pupils: []incidents.Concerned{{Person: s.id("elev-1"), Role: "involved"}},
			OccurredAt: time.Now().Add(-time.Hour), Place: "Matsalen", Description: "x"}, []string{"pupils"}},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as("larare-a1").do("POST", at, c.in, &p)
		if r.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(fieldsOf(p), c.fields) {
			t.Errorf("%s: %d %+v, want 422 naming %v", c.name, r.StatusCode, p, c.fields)
		}
	}
	if n := s.count(`SELECT count(*) FROM incidents`) + s.count(`SELECT count(*) FROM processes WHERE kind = 'incident'`); n != 0 {
		t.Fatalf("%d incidents or processes written by refused reports", n)
	}
}

// Degrading treatment at a preschool is reported like at a school: a child placed there is one of
// its children.
func TestAnIncidentAtAPreschool(t *testing.T) {
	s := newStack(t)
	var child, preschool string
	if err := s.db.QueryRow(context.Background(), `SELECT child_id::text, placed_at::text FROM placements LIMIT 1`).Scan(&child, &preschool); err != nil {
		t.Fatal(err)
	}
	report := expect[incidents.Details](s.as("admin-huvudman"), http.StatusCreated, "POST", "/api/v1/schools/"+preschool+"/incidents",
		incidents.ReportInput{Pupils: []incidents.Concerned{{Person: child, Role: "subjected"}},
			OccurredAt: time.Now().Add(-time.Hour), Place: "Gården", Description: "Knuffades."})
	if report.SchoolUnit != preschool || len(report.Pupils) != 1 {
		t.Fatalf("the report: %+v", report)
	}
}

// No step is done in time: each one, from the acknowledgement to the follow-up, goes to the
// organiser's officers when its deadline passes, who are told and do it. The record shows every
// deadline missed and who met it in the end.
func TestEveryIncidentStepEscalates(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) {
			d.IncidentAcknowledgeDue, d.IncidentStepDue, d.IncidentFollowUpAfter = time.Second, time.Second, time.Second
		}
	})
	report := reportIncident(t, s, "larare-a1")
	process := incidents.ID(report.ID)
	answers := map[string]map[string]any{
		incidents.StepAcknowledge: {},
		incidents.StepReport:      {"organiserReport": "Anmält till huvudmannen."},
		incidents.StepInvestigate: {"findings": "Bekräftat av två vittnen.", "degrading": "yes"},
		incidents.StepMeasures:    {"measures": "Samtal med eleverna."},
		incidents.StepFollowUp:    {"evaluation": "Inga nya händelser."},
	}
	for _, step := range []string{incidents.StepAcknowledge, incidents.StepReport, incidents.StepInvestigate, incidents.StepMeasures, incidents.StepFollowUp} {
		task := stepTask(t, s, "forvaltning", process, "incident."+step)
		if task.Assignee.Role != "Övrig arbetsledning" || task.Assignee.OrgID != demo.OrgID("huvudman") {
			t.Fatalf("the late %s task is assigned to %+v, want the organiser's officers", step, task.Assignee)
		}
		completeTask(t, s, "forvaltning", task, answers[step])
	}
	var out incidents.Outcome
	closed(t, s, process, 30*time.Second, &out)
	for step, by := range out.DoneBy {
		if by != s.id("forvaltning") {
			t.Errorf("the %s step was done by %s, want the officer", step, by)
		}
	}
	// The officer heard of each late step, not only found it in the inbox.
	if n := len(slices.DeleteFunc(purposesFor(s, "forvaltning", process), func(p string) bool { return p != "task.assigned" })); n != 5 {
		t.Errorf("the officer was told of %d late steps, want 5", n)
	}
	list := get[[]incidents.Summary](s.as("forvaltning"), "/api/v1/schools/"+demo.OrgID("a")+"/incidents")
	if len(list) != 1 || len(list[0].Steps) != 5 {
		t.Fatalf("the officers' list: %+v", list)
	}
	for _, st := range list[0].Steps {
		if st.DoneAt == nil || st.InTime == nil || *st.InTime {
			t.Errorf("step %s: done %v, in time %v, want done late", st.Step, st.DoneAt, st.InTime)
		}
	}
	recordHistory(t, s, process, "", "incidents/testdata/incident_every_step_escalated.json")
}
