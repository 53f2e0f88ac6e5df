package integration

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
)

// openRound has the organiser's officers give school A thirty seats in year 7 and school B
// seatsB, and open a round for it that closes after closesIn and publishes after publishesIn.
func openRound(t *testing.T, s *stack, closesIn, publishesIn time.Duration, seatsB int) enrollment.Round {
	t.Helper()
	for school, n := range map[string]int{demo.OrgID("a"): 30, demo.OrgID("b"): seatsB} {
		seats := expect[[]enrollment.Capacity](s.as("forvaltning"), http.StatusOK, "PUT", "/api/v1/schools/"+school+"/capacities",
			enrollment.Capacity{SchoolType: "GR", SchoolYear: 7, Capacity: n})
		if !slices.Contains(seats, enrollment.Capacity{SchoolType: "GR", SchoolYear: 7, Capacity: n}) {
			t.Fatalf("the seats of %s: %+v", school, seats)
		}
	}
	return expect[enrollment.Round](s.as("forvaltning"), http.StatusCreated, "POST", "/api/v1/schools/"+demo.OrgID("huvudman")+"/enrollment-rounds",
		enrollment.RoundInput{Name: "Skolval åk 7 HT2027", SchoolType: "GR", SchoolYear: 7, StartDate: "2027-08-16",
			ClosesAt: time.Now().Add(closesIn), PublishesAt: time.Now().Add(publishesIn)})
}

// Seats below the children already placed are refused, naming the capacity, and nothing is set.
// A round is the organiser's.
func TestSeatsAndRoundsAreTheOrganisers(t *testing.T) {
	s := newStack(t)
	var p api.Problem
	// School A has four pupils in year 7.
	if r := s.as("forvaltning").do("PUT", "/api/v1/schools/"+demo.OrgID("a")+"/capacities",
		enrollment.Capacity{SchoolType: "GR", SchoolYear: 7, Capacity: 3}, &p); r.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(fieldsOf(p), []string{"capacity"}) {
		t.Fatalf("seats below the pupils placed: %d %+v, want 422 naming capacity", r.StatusCode, p)
	}
	if n := s.count(`SELECT count(*) FROM school_capacities`); n != 0 {
		t.Fatalf("%d seats set by a refused request", n)
	}
	p = api.Problem{}
	if r := s.as("forvaltning").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/enrollment-rounds",
		enrollment.RoundInput{Name: "x", SchoolType: "GR", SchoolYear: 7, StartDate: "2027-08-16", ClosesAt: time.Now().Add(time.Hour),
			PublishesAt: time.Now().Add(2 * time.Hour)}, &p); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a round of a school unit: %d, want 404: rounds are the organiser's", r.StatusCode)
	}
	p = api.Problem{}
	if r := s.as("forvaltning").do("POST", "/api/v1/schools/"+demo.OrgID("huvudman")+"/enrollment-rounds",
		enrollment.RoundInput{Name: "x", SchoolType: "FKLASS", SchoolYear: 3, StartDate: "2027-08-16", ClosesAt: time.Now().Add(-time.Hour),
			PublishesAt: time.Now().Add(-2 * time.Hour)}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"closesAt", "publishesAt", "schoolYear"}) {
		t.Fatalf("a round with a wrong year, closed and published before: %d %+v", r.StatusCode, p)
	}
	if n := s.count(`SELECT count(*) FROM enrollment_rounds`); n != 0 {
		t.Fatalf("%d rounds written by refused requests", n)
	}
}

// Maja's guardians choose together: a wrong application is refused naming the field and writes
// nothing; Ivar refuses Helena's choice and both are told; Ivar's change, which Helena agrees
// to, is the one that counts when the round closes, and no change is taken after. Quentin's
// guardian with protected identity applies: the other guardian is asked without learning who
// applied, and no answer by the close leaves the application incomplete.
func TestGuardiansApplyTogether(t *testing.T) {
	s := newStack(t)
	round := openRound(t, s, 25*time.Second, time.Hour, 30)
	a, b, preschool := demo.OrgID("a"), demo.OrgID("b"), demo.OrgID("fs")
	// The open round lists the schools with seats in year 7 to choose from, and not the preschool.
	open := get[[]enrollment.OpenRound](s.as("vh-1"), "/api/v1/enrollment-rounds")
	if len(open) != 1 || open[0].ID != round.ID {
		t.Fatalf("the open rounds: %+v", open)
	}
	var offered []string
	for _, c := range open[0].Schools {
		offered = append(offered, c.School)
	}
	if !slices.Contains(offered, a) || !slices.Contains(offered, b) || slices.Contains(offered, preschool) {
		t.Fatalf("the round's schools: %+v", open[0].Schools)
	}
	maja := "/api/v1/persons/" + s.id("elev-1") + "/applications"

	cases := []struct {
		name, user string
		choices    []string
		status     int
		fields     []string
	}{
		{"six schools", "vh-1", []string{a, b, uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()}, 422, []string{"choices"}},
		{"a school chosen twice", "vh-1", []string{a, b, a}, 422, []string{"choices/2"}},
		{"a school without year 7", "vh-1", []string{a, preschool}, 422, []string{"choices/1"}},
		{"a child not in one's custody", "vh-3", []string{a}, 404, nil},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as(c.user).do("POST", maja, enrollment.ApplicationRequest{Round: round.ID, Choices: c.choices}, &p)
		if r.StatusCode != c.status || (c.fields != nil && !slices.Equal(fieldsOf(p), c.fields)) {
			t.Errorf("%s: %d %+v, want %d naming %v", c.name, r.StatusCode, p, c.status, c.fields)
		}
	}
	// Maja's sister at the gymnasium is not to start year 7: the round does not concern her.
	var notHers api.Problem
	if r := s.as("vh-1").do("POST", "/api/v1/persons/"+s.id("elev-7")+"/applications", enrollment.ApplicationRequest{Round: round.ID, Choices: []string{a}}, &notHers); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(notHers), []string{"round"}) {
		t.Errorf("a pupil of the gymnasium in the year-7 round: %d %+v, want 422 naming round", r.StatusCode, notHers)
	}
	if n := s.count(`SELECT count(*) FROM applications`) + s.count(`SELECT count(*) FROM processes WHERE kind = 'application'`); n != 0 {
		t.Fatalf("%d applications or processes written by refused requests", n)
	}

	app := expect[enrollment.ApplicationView](s.as("vh-1"), http.StatusCreated, "POST", maja, enrollment.ApplicationRequest{Round: round.ID, Choices: []string{a, b}})
	if app.Status != enrollment.AwaitingConsent || app.Version != 1 || app.Agreed != nil || len(app.Versions) != 1 ||
		len(app.Versions[0].Choices) != 2 || app.Versions[0].Choices[0].Name != "Ekbackens skola" || app.ProcessID != enrollment.ApplicationID(s.id("elev-1"), round.ID) {
		t.Fatalf("the application: %+v", app)
	}
	if r := s.as("vh-2").do("POST", maja, enrollment.ApplicationRequest{Round: round.ID, Choices: []string{b}}, nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("a second application for Maja: %d, want 409 (change the first)", r.StatusCode)
	}

	// Ivar refuses, from his tasks page or the API alike; both are told, and the application is
	// incomplete.
	consent := stepTask(t, s, "vh-2", app.ProcessID, enrollment.KindConsent)
	if status, html := s.browseAs(t, "vh-2@"+demo.UserDomain).get("/tasks"); status != http.StatusOK ||
		!strings.Contains(html, "has made a school choice for Maja Lind") || !strings.Contains(html, "I do not agree to the application") {
		t.Fatalf("Ivar's tasks page: %d\n%s", status, html)
	}
	completeTask(t, s, "vh-2", consent, map[string]any{"consent": enrollment.Refuse})
	told(t, s, "vh-1", app.ProcessID, "application.refused")
	told(t, s, "vh-2", app.ProcessID, "application.refused")
	if got := get[enrollment.ApplicationView](s.as("vh-1"), maja+"/"+round.ID); got.Status != enrollment.Incomplete ||
		len(got.Versions[0].Consents) != 1 || got.Versions[0].Consents[0].Answer != enrollment.Refuse {
		t.Fatalf("after the refusal: %+v", got)
	}

	// Ivar changes it; Helena is asked and agrees: the second version counts.
	changed := expect[enrollment.ApplicationView](s.as("vh-2"), http.StatusOK, "PUT", maja+"/"+round.ID, enrollment.ApplicationRequest{Choices: []string{b}})
	if changed.Version != 2 || changed.Status != enrollment.AwaitingConsent || len(changed.Versions) != 2 || *changed.Versions[0].AppliedBy != s.id("vh-2") {
		t.Fatalf("the change: %+v", changed)
	}
	completeTask(t, s, "vh-1", stepTask(t, s, "vh-1", app.ProcessID, enrollment.KindConsent), map[string]any{"consent": enrollment.Agree})
	told(t, s, "vh-2", app.ProcessID, "application.complete")

	// Quentin's guardian with protected identity applies; the other guardian and the officers see
	// the application, never who wrote it.
	quentin := "/api/v1/persons/" + s.id("elev-5") + "/applications"
	q := expect[enrollment.ApplicationView](s.as("vh-5"), http.StatusCreated, "POST", quentin, enrollment.ApplicationRequest{Round: round.ID, Choices: []string{b, a}})
	if *q.Versions[0].AppliedBy != s.id("vh-5") {
		t.Fatalf("the applicant's own view: %+v", q.Versions[0])
	}
	stepTask(t, s, "vh-4", q.ProcessID, enrollment.KindConsent)
	officers := "/api/v1/schools/" + round.Organiser + "/enrollment-rounds/" + round.ID + "/applications/" + s.id("elev-5")
	for who, path := range map[string]string{"vh-4": quentin + "/" + round.ID, "forvaltning": officers} {
		res, body := s.as(who).send("GET", path, nil)
		if res.StatusCode != http.StatusOK || strings.Contains(string(body), s.id("vh-5")) {
			t.Fatalf("%s reading Quentin's application: %d %s, want it without the applicant", who, res.StatusCode, body)
		}
	}
	var history store.ProcessView
	if r := s.as("vh-4").do("GET", "/api/v1/processes/"+q.ProcessID, nil, &history); r.StatusCode != http.StatusOK {
		t.Fatalf("the other guardian reading the process: %d", r.StatusCode)
	}
	for _, e := range history.Events {
		if (e.Actor != nil && *e.Actor == s.id("vh-5")) || strings.Contains(string(e.Detail), s.id("vh-5")) {
			t.Fatalf("the process's history names the protected applicant to the other guardian: %+v", e)
		}
	}

	// The round closes: Maja's second version counts; Quentin's, never agreed, is incomplete.
	var out enrollment.ApplicationOutcome
	closed(t, s, app.ProcessID, time.Minute, &out)
	if out.Status != enrollment.Complete || out.Agreed != 2 {
		t.Fatalf("Maja's application at the close: %+v", out)
	}
	closed(t, s, q.ProcessID, time.Minute, &out)
	if out.Status != enrollment.Incomplete {
		t.Fatalf("Quentin's application at the close: %+v", out)
	}
	told(t, s, "vh-4", q.ProcessID, "application.unanswered")
	for _, m := range s.mailbox.Messages() {
		if slices.Contains(m.To, "vh-4@skolflow.test") && (strings.Contains(m.Body, "Tove") || strings.Contains(m.Body, "Sund")) {
			t.Fatalf("a message to the other guardian names the protected applicant: %s", m.Body)
		}
	}
	var p api.Problem
	if r := s.as("vh-1").do("PUT", maja+"/"+round.ID, enrollment.ApplicationRequest{Choices: []string{a}}, &p); r.StatusCode != http.StatusConflict {
		t.Fatalf("a change after the close: %d %+v, want 409", r.StatusCode, p)
	}
	final := get[enrollment.ApplicationView](s.as("vh-1"), maja+"/"+round.ID)
	if final.Status != enrollment.Complete || final.Agreed == nil || *final.Agreed != 2 || final.Version != 2 {
		t.Fatalf("Maja's application as recorded: %+v", final)
	}
	recordHistory(t, s, app.ProcessID, "", "enrollment/testdata/application_refused_changed_agreed.json")
	recordHistory(t, s, q.ProcessID, "", "enrollment/testdata/application_unanswered.json")
}

// applyAgreed has vh-1 apply for a child of the Linds with choices, and vh-2 agree.
func applyAgreed(t *testing.T, s *stack, child string, round enrollment.Round, choices ...string) enrollment.ApplicationView {
	t.Helper()
	app := expect[enrollment.ApplicationView](s.as("vh-1"), http.StatusCreated, "POST", "/api/v1/persons/"+s.id(child)+"/applications",
		enrollment.ApplicationRequest{Round: round.ID, Choices: choices})
	completeTask(t, s, "vh-2", stepTask(t, s, "vh-2", app.ProcessID, enrollment.KindConsent), map[string]any{"consent": enrollment.Agree})
	told(t, s, "vh-1", app.ProcessID, "application.complete")
	return app
}

// A round on the real server: Maja and her brother Nils both want school B, which has one seat,
// and then A;
// Quentin's application is never agreed. At the close the lottery's seed is drawn and the round
// placed: one of the siblings gets B, the other is refused there by lot, placed at A, and told
// why and how to appeal; Quentin gets the nearest seat, marked as such. An officer is told to review it, sees
// the figures, which name no child, and approves; the families see their placement only once it
// is published. Placed again with its seed, the round gives the same. Each placed child is then
// offered the place: one acceptance takes it, both guardians declining frees it, no answer takes
// it, and a place taken is the child's enrolment in the register from the round's start. An
// appeal of the refusal is reconsidered by the officers before it goes on. The seat declined goes
// to the sibling refused there, from the waiting list, whose enrolment moves with it.
func TestARoundIsPlacedApprovedAndPublished(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.timings = func(d *durations) { d.OfferAnswerDue = 20 * time.Second } })
	round := openRound(t, s, 12*time.Second, 16*time.Second, 1)
	a, b := demo.OrgID("a"), demo.OrgID("b")
	maja := applyAgreed(t, s, "elev-1", round, b, a)
	nils := applyAgreed(t, s, "elev-2", round, b, a)
	expect[enrollment.ApplicationView](s.as("vh-5"), http.StatusCreated, "POST", "/api/v1/persons/"+s.id("elev-5")+"/applications",
		enrollment.ApplicationRequest{Round: round.ID, Choices: []string{b}})
	// Olle, with protected identity, is in his sole guardian's custody: her application needs no
	// one else's consent.
	olle := "/api/v1/persons/" + s.id("elev-3") + "/applications"
	expect[enrollment.ApplicationView](s.as("vh-3"), http.StatusCreated, "POST", olle, enrollment.ApplicationRequest{Round: round.ID, Choices: []string{a}})
	eventually(t, 10*time.Second, "Olle's application in sole custody to be complete", func() bool {
		return get[enrollment.ApplicationView](s.as("vh-3"), olle+"/"+round.ID).Status == enrollment.Complete
	})

	process := enrollment.PlacementID(demo.OrgID("huvudman"), round.ID)
	reportPath := "/api/v1/schools/" + demo.OrgID("huvudman") + "/enrollment-rounds/" + round.ID
	var report enrollment.RoundReport
	eventually(t, 40*time.Second, "the round to be placed", func() bool {
		report = get[enrollment.RoundReport](s.as("forvaltning"), reportPath)
		return report.Status == "placed"
	})
	told(t, s, "forvaltning", process, "task.assigned")
	want := enrollment.RoundStats{Applicants: 4, Complete: 3, FirstChoice: 2, ByChoice: 3, NearHome: 1}
	if report.Stats != want || report.Seed == nil || report.FirstChoiceShare != 2.0/3 || len(report.Intakes) != 2 {
		t.Fatalf("the round's report: %+v, want stats %+v", report, want)
	}
	res, body := s.as("forvaltning").send("GET", reportPath, nil)
	for _, child := range []string{"elev-1", "elev-2", "elev-3", "elev-5"} {
		if res.StatusCode != http.StatusOK || strings.Contains(string(body), s.id(child)) {
			t.Fatalf("the report names %s: %s", child, body)
		}
	}
	if got := get[enrollment.ApplicationView](s.as("vh-1"), "/api/v1/persons/"+s.id("elev-1")+"/applications/"+round.ID); got.Placement != nil {
		t.Fatalf("the family sees the placement before it is published: %+v", got.Placement)
	}
	// The officers read the round's children through the round, Olle with protected identity
	// too, and see the placements they review; not through the child, and not a child who did not
	// apply in the round.
	for _, child := range []string{"elev-1", "elev-3"} {
		if got := get[enrollment.ApplicationView](s.as("forvaltning"), reportPath+"/applications/"+s.id(child)); got.Placement == nil {
			t.Fatalf("the officers do not see %s's placement they review", child)
		}
		if r := s.as("forvaltning").do("GET", "/api/v1/persons/"+s.id(child)+"/applications/"+round.ID, nil, nil); r.StatusCode == http.StatusOK {
			t.Fatalf("the officers read %s's application through the child", child)
		}
	}
	if r := s.as("forvaltning").do("GET", reportPath+"/applications/"+s.id("elev-4"), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the officers reading a child who did not apply in the round: %d, want 404", r.StatusCode)
	}

	completeTask(t, s, "forvaltning", stepTask(t, s, "forvaltning", process, enrollment.KindApprove), map[string]any{"decision": "approve"})
	eventually(t, 30*time.Second, "the round to be published", func() bool {
		report = get[enrollment.RoundReport](s.as("forvaltning"), reportPath)
		return report.Status == "published"
	})
	if report.PublishedAt == nil || report.ApprovedBy == nil || *report.ApprovedBy != s.id("forvaltning") {
		t.Fatalf("the published round: %+v", report)
	}

	// One sibling has B; the other was refused there by lot, with how to appeal.
	placed := map[string]*enrollment.PlacementView{}
	for key, app := range map[string]enrollment.ApplicationView{"elev-1": maja, "elev-2": nils} {
		placed[key] = get[enrollment.ApplicationView](s.as("vh-2"), "/api/v1/persons/"+s.id(key)+"/applications/"+app.RoundID).Placement
	}
	winner, loser := "elev-1", "elev-2"
	if placed["elev-2"].School == b {
		winner, loser = loser, winner
	}
	if w := placed[winner]; w.School != b || w.Basis != enrollment.BasisChoice || w.Choice != 1 || len(w.Refusals) != 0 {
		t.Fatalf("%s's place: %+v", winner, w)
	}
	l := placed[loser]
	if len(l.Refusals) != 1 {
		t.Fatalf("%s's place: %+v, want refused at B", loser, l)
	}
	r := l.Refusals[0]
	appealBy := report.PublishedAt.AddDate(0, 0, 21).Format(time.DateOnly)
	if r.School != b || r.Name != "Björkdalens skola" || r.Ground != "lottery" || r.AppealTo != enrollment.AppealBoard || r.AppealBy != appealBy ||
		r.Own == nil || r.CutOff == nil || r.CutOff.Lottery >= r.Own.Lottery || r.CutOff.Proximity != r.Own.Proximity {
		t.Fatalf("%s's refusal at B: %+v (own %+v, cut-off %+v), want by lot, to the appeals board by %s", loser, r, r.Own, r.CutOff, appealBy)
	}
	if l.School != a || l.Basis != enrollment.BasisChoice || l.Choice != 2 {
		t.Fatalf("%s, refused at B: %+v, want the second choice", loser, l)
	}
	// Their sibling, with the same guardians and home, is at A on the round's start day: each has
	// a sibling's claim there, none at B.
	if len(l.Priorities) != 2 || l.Priorities[0].Sibling || !l.Priorities[1].Sibling || l.Priorities[1].School != a {
		t.Fatalf("%s's priorities: %+v, want a sibling's claim at A alone", loser, l.Priorities)
	}
	q := get[enrollment.ApplicationView](s.as("vh-4"), "/api/v1/persons/"+s.id("elev-5")+"/applications/"+round.ID).Placement
	if q == nil || q.Basis != enrollment.BasisNearHome || q.School == "" || len(q.Refusals) != 0 {
		t.Fatalf("Quentin's place: %+v, want near home", q)
	}

	differ, err := enrollment.Store{DB: s.db}.Audit(context.Background(), round.ID)
	if err != nil || len(differ) != 0 {
		t.Fatalf("placed again with its seed, the round differs for %v (%v)", differ, err)
	}

	// The offers: both guardians decline the place at B, which frees it; the place at A is
	// accepted, one acceptance enough; Quentin's guardians do not answer, which accepts it. A
	// responsible adult without custody cannot answer for them.
	offerTask := func(user, child string) store.TaskView {
		return stepTask(t, s, user, enrollment.OfferID(s.id(child), round.ID), enrollment.KindAnswer)
	}
	decline := offerTask("vh-1", winner)
	if r := s.as("annan-1").do("POST", "/api/v1/tasks/"+decline.ID+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"answer": enrollment.Accept}}, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a responsible adult without custody answering the offer: %d, want 403", r.StatusCode)
	}
	completeTask(t, s, "vh-1", decline, map[string]any{"answer": enrollment.Decline})
	completeTask(t, s, "vh-2", offerTask("vh-2", winner), map[string]any{"answer": enrollment.Decline})
	completeTask(t, s, "vh-1", offerTask("vh-1", loser), map[string]any{"answer": enrollment.Accept})
	completeTask(t, s, "vh-3", offerTask("vh-3", "elev-3"), map[string]any{"answer": enrollment.Accept})
	var offer enrollment.OfferOutcome
	for _, c := range []struct {
		child, status, school string
		answered              int
	}{{winner, enrollment.Declined, b, 2}, {loser, enrollment.Accepted, a, 1}, {"elev-3", enrollment.Accepted, a, 1}, {"elev-5", enrollment.Accepted, q.School, 0}} {
		id := enrollment.OfferID(s.id(c.child), round.ID)
		closed(t, s, id, time.Minute, &offer)
		if offer.Status != c.status || offer.Answered != c.answered {
			t.Errorf("%s's offer: %+v, want %s with %d answers", c.child, offer, c.status, c.answered)
		}
		enrolled := s.count(`SELECT count(*) FROM enrolments WHERE person_id = $1 AND enroled_at = $2 AND school_type = 'GR'
			AND school_year = 7 AND start_date = '2027-08-16'`, s.id(c.child), c.school)
		if want := map[bool]int{true: 1, false: 0}[c.status == enrollment.Accepted]; enrolled != want {
			t.Errorf("%s is enrolled %d times at the school offered, want %d", c.child, enrolled, want)
		}
	}
	told(t, s, "vh-4", enrollment.OfferID(s.id("elev-5"), round.ID), "offer.accepted")

	// Where Olle goes is for his guardian and the organiser: his class's teacher and mentor, and
	// his principal, do not see his offer or his application, which name the school. His guardian
	// does.
	for _, id := range []string{enrollment.OfferID(s.id("elev-3"), round.ID), enrollment.ApplicationID(s.id("elev-3"), round.ID)} {
		for _, who := range []string{"larare-a1", "rektor-a"} {
			if r := s.as(who).do("GET", "/api/v1/processes/"+id, nil, nil); r.StatusCode != http.StatusNotFound {
				t.Fatalf("%s reading %s of a protected pupil in their class: %d, want 404", who, id, r.StatusCode)
			}
		}
		if r := s.as("vh-3").do("GET", "/api/v1/processes/"+id, nil, nil); r.StatusCode != http.StatusOK {
			t.Fatalf("the guardian reading %s: %d", id, r.StatusCode)
		}
	}
	told(t, s, "vh-2", enrollment.OfferID(s.id(winner), round.ID), "offer.declined")

	// Ivar appeals the refusal at B: the officers reconsider it first; letting it stand needs
	// reasons, and the appeal goes on to the appeals board (a refusal by lot). A school the child
	// was not refused, and the same refusal again, are refused.
	appeals := "/api/v1/persons/" + s.id(loser) + "/applications/" + round.ID + "/appeals"
	var p api.Problem
	if r := s.as("vh-2").do("POST", appeals, enrollment.AppealRequest{School: a, Reason: "x"}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"schoolId"}) {
		t.Fatalf("an appeal of a school not refused: %d %+v, want 422 naming schoolId", r.StatusCode, p)
	}
	lodged := expect[enrollment.ApplicationView](s.as("vh-2"), http.StatusCreated, "POST", appeals,
		enrollment.AppealRequest{School: b, Reason: "Syskonen ska gå på samma skola."})
	if len(lodged.Appeals) != 1 || lodged.Appeals[0].Status != "reconsidering" || lodged.Appeals[0].Ground != "lottery" ||
		lodged.Appeals[0].AppealTo != enrollment.AppealBoard {
		t.Fatalf("the appeal: %+v", lodged.Appeals)
	}
	if r := s.as("vh-1").do("POST", appeals, enrollment.AppealRequest{School: b, Reason: "Igen."}, nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("the same refusal appealed again: %d, want 409", r.StatusCode)
	}
	appeal := lodged.Appeals[0].ProcessID
	reconsider := stepTask(t, s, "forvaltning", appeal, enrollment.KindReconsider)
	p = api.Problem{}
	if r := s.as("forvaltning").do("POST", "/api/v1/tasks/"+reconsider.ID+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"decision": enrollment.Uphold}}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"payload/reasons"}) {
		t.Fatalf("letting the decision stand without reasons: %d %+v, want 422 naming payload/reasons", r.StatusCode, p)
	}
	completeTask(t, s, "forvaltning", reconsider, map[string]any{"decision": enrollment.Uphold, "reasons": "Platsen lottades lika för alla."})
	var decided enrollment.Reconsidered
	closed(t, s, appeal, time.Minute, &decided)
	told(t, s, "vh-1", appeal, "appeal.sent-on")
	if got := get[enrollment.ApplicationView](s.as("vh-1"), "/api/v1/persons/"+s.id(loser)+"/applications/"+round.ID).Appeals; len(got) != 1 ||
		got[0].Status != enrollment.SentOn || got[0].Reasons == nil || *got[0].Reasons != "Platsen lottades lika för alla." {
		t.Fatalf("the appeal after reconsideration: %+v", got)
	}

	// When the time to answer is over, the waiting list offers the seat declined at B to the
	// sibling refused there, who holds A: accepted, the child's enrolment moves to B and the seat
	// at A is released. No one else wished for A, and the next pass offers nothing.
	mine := "/api/v1/persons/" + s.id(loser) + "/applications/" + round.ID
	eventually(t, time.Minute, "the waiting list to offer B", func() bool {
		o := get[enrollment.ApplicationView](s.as("vh-2"), mine).Offer
		return o != nil && o.Pass == 1
	})
	moved := enrollment.WaitingOfferID(s.id(loser), round.ID, 1)
	if o := get[enrollment.ApplicationView](s.as("vh-2"), mine).Offer; o.School != b || o.Status != enrollment.Offered || o.ProcessID != moved {
		t.Fatalf("the waiting list's offer: %+v, want B awaiting an answer", o)
	}
	completeTask(t, s, "vh-2", stepTask(t, s, "vh-2", moved, enrollment.KindAnswer), map[string]any{"answer": enrollment.Accept})
	closed(t, s, moved, time.Minute, &offer)
	if offer.Status != enrollment.Accepted {
		t.Fatalf("the waiting list's offer: %+v, want accepted", offer)
	}
	told(t, s, "vh-1", moved, "offer.accepted")
	for school, want := range map[string]int{a: 0, b: 1} {
		if n := s.count(`SELECT count(*) FROM enrolments WHERE person_id = $1 AND enroled_at = $2 AND start_date = '2027-08-16'`, s.id(loser), school); n != want {
			t.Fatalf("%s is enrolled %d times at %s, want %d", loser, n, school, want)
		}
	}
	if o := get[enrollment.ApplicationView](s.as("vh-1"), mine).Offer; o.School != b || o.Status != enrollment.Accepted || o.Pass != 1 {
		t.Fatalf("the offer that stands: %+v, want B accepted from the waiting list", o)
	}
	var out enrollment.PlacementOutcome
	closed(t, s, process, 2*time.Minute, &out)
	if out.ApprovedBy != s.id("forvaltning") || out.Stats != want || fmt.Sprint(out.Seed) != *report.Seed || out.Offers != 4 || out.WaitingList != 1 {
		t.Fatalf("the round's outcome %+v, want approved by the officer with seed %s, 4 offers and 1 from the waiting list", out, *report.Seed)
	}
	if report = get[enrollment.RoundReport](s.as("forvaltning"), reportPath); report.WaitingList != (enrollment.WaitingListStats{Offered: 1, Accepted: 1}) {
		t.Fatalf("the waiting list's figures: %+v", report.WaitingList)
	}

	recordHistory(t, s, appeal, "", "enrollment/testdata/appeal_sent_on.json")
	recordHistory(t, s, process, "", "enrollment/testdata/placement_published.json")
	recordHistory(t, s, enrollment.OfferID(s.id(winner), round.ID), "", "enrollment/testdata/offer_declined.json")
	recordHistory(t, s, enrollment.OfferID(s.id("elev-5"), round.ID), "", "enrollment/testdata/offer_unanswered.json")
}

// The officers change a decision on appeal: Maja and Nils both want school B, which has one seat,
// and one of them is refused there by lot and placed at A, which the family accepts. The family
// appeals, the officers change the decision on reconsideration, and the child is offered B beyond
// its seat; the other guardian accepts it, and the child's enrolment moves from A to B.
func TestAChangedDecisionOffersTheSchool(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.timings = func(d *durations) { d.OfferAnswerDue = 8 * time.Second } })
	round := openRound(t, s, 12*time.Second, 14*time.Second, 1)
	a, b := demo.OrgID("a"), demo.OrgID("b")
	applyAgreed(t, s, "elev-1", round, b, a)
	applyAgreed(t, s, "elev-2", round, b, a)
	process := enrollment.PlacementID(round.Organiser, round.ID)
	completeTask(t, s, "forvaltning", stepTask(t, s, "forvaltning", process, enrollment.KindApprove), map[string]any{"decision": "approve"})
	mine := func(child string) string { return "/api/v1/persons/" + s.id(child) + "/applications/" + round.ID }
	eventually(t, 30*time.Second, "the round to be published", func() bool {
		return get[enrollment.ApplicationView](s.as("vh-1"), mine("elev-1")).Placement != nil
	})
	loser := "elev-1"
	if get[enrollment.ApplicationView](s.as("vh-1"), mine("elev-1")).Placement.School == b {
		loser = "elev-2"
	}
	for _, child := range []string{"elev-1", "elev-2"} {
		id := enrollment.OfferID(s.id(child), round.ID)
		completeTask(t, s, "vh-1", stepTask(t, s, "vh-1", id, enrollment.KindAnswer), map[string]any{"answer": enrollment.Accept})
		closed(t, s, id, time.Minute, nil)
	}

	lodged := expect[enrollment.ApplicationView](s.as("vh-1"), http.StatusCreated, "POST", mine(loser)+"/appeals",
		enrollment.AppealRequest{School: b, Reason: "Syskonen ska gå på samma skola."})
	appeal := lodged.Appeals[0].ProcessID
	completeTask(t, s, "forvaltning", stepTask(t, s, "forvaltning", appeal, enrollment.KindReconsider),
		map[string]any{"decision": enrollment.ChangeDecision})
	var decided enrollment.Reconsidered
	closed(t, s, appeal, time.Minute, &decided)
	if decided.Status != enrollment.Changed {
		t.Fatalf("the reconsideration: %+v, want changed", decided)
	}
	told(t, s, "vh-2", appeal, "appeal.changed")

	offer := enrollment.AppealOfferID(s.id(loser), round.ID, lodged.Appeals[0].ID)
	completeTask(t, s, "vh-2", stepTask(t, s, "vh-2", offer, enrollment.KindAnswer), map[string]any{"answer": enrollment.Accept})
	var out enrollment.OfferOutcome
	closed(t, s, offer, time.Minute, &out)
	if out.Status != enrollment.Accepted {
		t.Fatalf("the offer on appeal: %+v, want accepted", out)
	}
	got := get[enrollment.ApplicationView](s.as("vh-2"), mine(loser))
	if o := got.Offer; o == nil || o.School != b || o.Status != enrollment.Accepted || !o.OnAppeal || o.ProcessID != offer {
		t.Fatalf("the offer that stands: %+v, want B accepted on appeal", got.Offer)
	}
	if len(got.Appeals) != 1 || got.Appeals[0].Status != enrollment.Changed {
		t.Fatalf("the appeal: %+v, want changed", got.Appeals)
	}
	for school, want := range map[string]int{a: 0, b: 1} {
		if n := s.count(`SELECT count(*) FROM enrolments WHERE person_id = $1 AND enroled_at = $2 AND start_date = '2027-08-16'`, s.id(loser), school); n != want {
			t.Fatalf("%s is enrolled %d times at %s, want %d", loser, n, school, want)
		}
	}
	// Both siblings are at B from the start, one beyond its seat: the changed decision gave it.
	if n := s.count(`SELECT count(*) FROM enrolments WHERE enroled_at = $1 AND start_date = '2027-08-16'`, b); n != 2 {
		t.Fatalf("%d children enrolled at B from the round, want both siblings", n)
	}
	recordHistory(t, s, appeal, "", "enrollment/testdata/appeal_changed.json")
}

// A preschool application keeps the guarantee: a place within four months, or from the wished
// day if later. With the warning set wider than that, the organiser's placement administrators
// get the task at once, and the officers see the child on their list; the round then places
// Rut, her guardian accepts, and that settles the guarantee and withdraws the task.
func TestThePreschoolGuarantee(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) { d.GuaranteeWarnBefore = 200 * 24 * time.Hour }
	})
	preschool, huvudman := demo.OrgID("fs"), demo.OrgID("huvudman")
	expect[[]enrollment.Capacity](s.as("forvaltning"), http.StatusOK, "PUT", "/api/v1/schools/"+preschool+"/capacities",
		enrollment.Capacity{SchoolType: "FS", SchoolYear: 0, Capacity: 20})
	round := expect[enrollment.Round](s.as("forvaltning"), http.StatusCreated, "POST", "/api/v1/schools/"+huvudman+"/enrollment-rounds",
		enrollment.RoundInput{Name: "Förskola januari", SchoolType: "FS", StartDate: "2027-01-11",
			ClosesAt: time.Now().Add(10 * time.Second), PublishesAt: time.Now().Add(14 * time.Second)})
	rut := "/api/v1/persons/" + s.id("barn-1") + "/applications"
	var p api.Problem
	if r := s.as("vh-1").do("POST", rut, enrollment.ApplicationRequest{Round: round.ID, Choices: []string{preschool}}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"wishedStart"}) {
		t.Fatalf("a preschool application without a wished start: %d %+v, want 422 naming wishedStart", r.StatusCode, p)
	}
	wished := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	expect[enrollment.ApplicationView](s.as("vh-1"), http.StatusCreated, "POST", rut,
		enrollment.ApplicationRequest{Round: round.ID, Choices: []string{preschool}, WishedStart: wished})
	guarantee := enrollment.GuaranteeID(s.id("barn-1"), round.ID)
	task := stepTask(t, s, "admin-huvudman", guarantee, enrollment.KindGuarantee)
	due := time.Now().AddDate(0, enrollment.GuaranteeMonths, 0).Format(time.DateOnly)
	list := get[[]enrollment.GuaranteeView](s.as("forvaltning"), "/api/v1/schools/"+huvudman+"/preschool-guarantees?within=200")
	if len(list) != 1 || list[0].ChildID != s.id("barn-1") || list[0].GuaranteeDate != due || list[0].Status != "warned" ||
		list[0].Name == nil || *list[0].Name != "Rut Lind" || list[0].DaysLeft < 100 {
		t.Fatalf("the officers' list: %+v, want Rut, due %s", list, due)
	}
	if near := get[[]enrollment.GuaranteeView](s.as("forvaltning"), "/api/v1/schools/"+huvudman+"/preschool-guarantees"); len(near) != 0 {
		t.Fatalf("within 30 days: %+v, want none", near)
	}

	// The round places her, an officer approves, her guardian accepts: the guarantee is kept.
	process := enrollment.PlacementID(huvudman, round.ID)
	completeTask(t, s, "forvaltning", stepTask(t, s, "forvaltning", process, enrollment.KindApprove), map[string]any{"decision": "approve"})
	completeTask(t, s, "vh-1", stepTask(t, s, "vh-1", enrollment.OfferID(s.id("barn-1"), round.ID), enrollment.KindAnswer),
		map[string]any{"answer": enrollment.Accept})
	var status string
	closed(t, s, guarantee, time.Minute, &status)
	if status != "placed" {
		t.Fatalf("the guarantee ended %q, want placed", status)
	}
	if n := s.count(`SELECT count(*) FROM tasks WHERE id = $1 AND state = 'cancelled'`, task.ID); n != 1 {
		t.Fatalf("the administrators' task is not withdrawn")
	}
	if n := s.count(`SELECT count(*) FROM placements WHERE child_id = $1 AND placed_at = $2 AND start_date = '2027-01-11'`, s.id("barn-1"), preschool); n != 1 {
		t.Fatalf("Rut's new place is not in the register (%d)", n)
	}
	if list := get[[]enrollment.GuaranteeView](s.as("forvaltning"), "/api/v1/schools/"+huvudman+"/preschool-guarantees?within=200"); len(list) != 0 {
		t.Fatalf("the list after the place was accepted: %+v", list)
	}
	recordHistory(t, s, guarantee, "", "enrollment/testdata/guarantee_placed.json")
}
