package integration

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// The principal's pages: the school's absence investigations, its day at a glance, and the
// reassignment of a task of the school on the task inbox.

// openInvestigation starts an absence investigation of pupil at school A for month, as the
// daily review would, and waits until it is on record.
func openInvestigation(t *testing.T, s *stack, pupil, month string) string {
	t.Helper()
	id := absence.InvestigationID(pupil, month)
	if _, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: s.queue},
		absence.Investigation, absence.InvestigationInput{Due: time.Hour, DeliveryDeadline: time.Minute,
			Pattern: absence.AbsencePattern{PupilID: pupil, SchoolID: demo.OrgID("a"), Month: month, InvalidDays: 4, AbsentPercent: 12}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the investigation on record", func() bool {
		return s.count(`SELECT count(*) FROM absence_investigations WHERE process_id = $1`, id) == 1
	})
	return id
}

// The school's investigations, in words, for its principal: each pupil as the API names them to
// the viewer (the principal knows a pupil with protected identity; the organiser's officer is
// not told the name), its state, its figures and a link to its history. Another school's
// principal gets a 404.
func TestThePrincipalSeesTheSchoolsInvestigations(t *testing.T) {
	s := newStack(t)
	c := newClass(t, s, map[string][]string{"ines": {"ines-1"}})
	investigated := openInvestigation(t, s, c.ids["ines"], "2026-10")
	protected := openInvestigation(t, s, s.id("elev-3"), "2026-09") // Olle Ek: Skyddad folkbokföring
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "absence.investigate", c.ids["ines"]), map[string]any{"conclusion": "measures-taken"})
	eventually(t, 10*time.Second, "the investigation to be investigated", func() bool {
		return s.count(`SELECT count(*) FROM absence_investigations WHERE process_id = $1 AND status = 'investigated'`, investigated) == 1
	})

	p := s.browse(t, "rektor-a")
	res, _ := p.do("GET", "/absence/investigations", nil)
	page := p.location(res, http.StatusSeeOther)
	if page != "/schools/"+demo.OrgID("a")+"/absence-investigations" {
		t.Fatalf("the menu's investigations lead to %q, want the principal's school", page)
	}
	status, html := p.get(page)
	if status != http.StatusOK {
		t.Fatalf("the investigations: %d\n%s", status, html)
	}
	for _, want := range []string{
		"<h1>Frånvaroutredningar – Ekbackens skola</h1>",
		"Ines Testsson", "Utredd – ska anmälas till hemkommunen", "oktober 2026: ogiltig frånvaro 4 dagar, frånvaro 12 % av den registrerade tiden.",
		"Slutsats: åtgärder vidtas.",
		"Olle Ek", "Ska utredas", "september 2026",
		`href="/processes/` + investigated + `"`, `href="/processes/` + protected + `"`,
		"Inga avslutade utredningar.",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the investigations page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("the page:\n%s", html)
	}
	if status, html := p.get("/processes/" + investigated); status != http.StatusOK || !strings.Contains(html, "Utredning av frånvaro") {
		t.Fatalf("the investigation's history: %d\n%s", status, html)
	}

	// The organiser's officer reads the investigations, but is not told a protected pupil's name.
	officer := s.browse(t, "forvaltning")
	status, html = officer.get(page)
	if status != http.StatusOK || !strings.Contains(html, "Ines Testsson") || !strings.Contains(html, "En elev (namnet visas inte för dig)") {
		t.Fatalf("the officer's investigations: %d\n%s", status, html)
	}
	if strings.Contains(html, "Olle") {
		t.Fatalf("the officer is shown the protected pupil:\n%s", html)
	}

	// Another school's principal: not found, and nothing of school A's.
	other := s.browse(t, "rektor-b")
	status, html = other.get(page)
	if status != http.StatusNotFound || strings.Contains(html, "Ines") || strings.Contains(html, "Ekbacken") {
		t.Fatalf("rektor-b on school A's investigations: %d\n%s", status, html)
	}
	res, _ = other.do("GET", "/absence/investigations", nil)
	if got := other.location(res, http.StatusSeeOther); got != "/schools/"+demo.OrgID("b")+"/absence-investigations" {
		t.Fatalf("rektor-b's investigations lead to %q", got)
	}
	// A teacher is principal nowhere: the page says so.
	if status, html := s.browse(t, "larare-a1").get("/absence/investigations"); status != http.StatusOK || !strings.Contains(html, "Du är inte rektor för någon skola") {
		t.Fatalf("a teacher's investigations: %d\n%s", status, html)
	}
}

// The school's staff today, with their roles there: for the school's principal and
// administrators; a member of staff with a protection marking only for those with a duty at the
// school itself.
func TestTheSchoolsStaff(t *testing.T) {
	s := newStack(t)
	path := "/api/v1/schools/" + demo.OrgID("a") + "/staff"
	staff := get[[]register.StaffMember](s.as("rektor-a"), path)
	got := map[string][]string{}
	for _, m := range staff {
		got[m.GivenName+" "+m.FamilyName] = m.DutyRoles
	}
	want := map[string][]string{"Anna Rektorsson": {"Rektor"}, "Cecilia Admin": {"Skoladministratör"},
		"David Lärarsson": {"Lärare"}, "Eva Ämnesdóttir": {"Lärare"}, "Stina Stödberg": {"Speciallärare/specialpedagog"}}
	if len(got) != len(want) {
		t.Fatalf("school A's staff %v, want %v", got, want)
	}
	for name, roles := range want {
		if !slices.Equal(got[name], roles) {
			t.Fatalf("school A's staff %v, want %v", got, want)
		}
	}
	if r := s.as("admin-a").do("GET", path, nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the school's administrator: %d", r.StatusCode)
	}
	for _, user := range []string{"rektor-b", "larare-a1", "vh-1", "forvaltning"} {
		if r := s.as(user).do("GET", path, nil, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s on school A's staff: %d, want 404", user, r.StatusCode)
		}
	}
	// A teacher with protected identity: her school's principal knows her; the organiser's
	// administrator, whose duty is above the school, does not.
	if _, err := s.db.Exec(context.Background(), `UPDATE persons SET security_marking = 'Skyddad folkbokföring' WHERE id = $1`, s.id("larare-a2")); err != nil {
		t.Fatal(err)
	}
	has := func(user string) bool {
		list := get[[]register.StaffMember](s.as(user), path)
		return slices.ContainsFunc(list, func(m register.StaffMember) bool { return m.ID == s.id("larare-a2") })
	}
	if !has("rektor-a") || has("admin-huvudman") {
		t.Fatalf("the protected teacher: listed for rektor-a %v, for admin-huvudman %v; want true, false", has("rektor-a"), has("admin-huvudman"))
	}
}

// The school's day, for its principal: the register taken for one lesson with two pupils absent
// and not for another that has begun; two notices sent; one pupil whose guardian the notice has
// not reached (the email server does not answer), and one whose guardian chose the app alone,
// whom it reached. The mentor's task to reach the guardian goes to the principal when it is not
// done in time; the principal gives it to another teacher on the task inbox. A teacher sees no
// such form, and is refused if they post one.
func TestThePrincipalsDayAndReassignment(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.smtpAddr = freeAddr(t)
		c.timings = func(tm *durations) { tm.AbsenceTaskDue = 6 * time.Second }
	})
	c := newClass(t, s, map[string][]string{"ola": {"ola-1"}, "pia": {"pia-1"}, "quinn": {"quinn-1"}})
	if _, err := s.db.Exec(context.Background(), `UPDATE contact_preferences SET channels = '{}' WHERE person_id = $1`, c.ids["pia-1"]); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Minute)
	taken, missed := uuid.NewString(), uuid.NewString()
	start := startedBefore(now, time.Minute)
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: taken, Group: c.group, Teacher: s.id("larare-a1"), Start: start, End: start.Add(40 * time.Minute)},
		{ID: missed, Group: c.group, Teacher: s.id("larare-a2"), Start: start, End: start.Add(40 * time.Minute)},
	}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+taken+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: c.ids["ola"], Status: "absent"}, {Person: c.ids["pia"], Status: "absent"}, {Person: c.ids["quinn"], Status: "present"},
	}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	overview := "/api/v1/schools/" + demo.OrgID("a") + "/absence-overview"
	var o absence.AbsenceOverview
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the school's day as last read: %+v", o)
		}
	})
	eventually(t, 30*time.Second, "both notices sent and Pia's guardian reached", func() bool {
		o = get[absence.AbsenceOverview](s.as("rektor-a"), overview)
		return o.NoticesSent == 2 && len(o.NotReached) == 1
	})
	mine := slices.IndexFunc(o.Lessons, func(l absence.OverviewLesson) bool { return l.LessonID == taken })
	if o.Day != day || o.RegistersTaken != 1 || o.RegistersMissing != 1 || o.PupilsNotified != 2 || mine < 0 ||
		o.Lessons[mine].Absent != 2 || !o.Lessons[mine].Registered || o.NotReached[0].PupilID != c.ids["ola"] ||
		o.NotReached[0].ProcessID != absence.AbsenceDayID(c.ids["ola"], day) {
		t.Fatalf("the day: %+v", o)
	}
	if got := get[absence.AbsenceOverview](s.as("rektor-a"), overview+"?day=2026-01-05"); len(got.Lessons) != 0 || got.NoticesSent != 0 {
		t.Fatalf("another day: %+v", got)
	}
	if r := s.as("rektor-a").do("GET", overview+"?day=2026-02-30", nil, nil); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a day that is none: %d, want 422", r.StatusCode)
	}
	for _, user := range []string{"rektor-b", "larare-a1", "forvaltning", "vh-1"} {
		if r := s.as(user).do("GET", overview, nil, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s on school A's day: %d, want 404", user, r.StatusCode)
		}
	}

	p := s.browse(t, "rektor-a")
	res, _ := p.do("GET", "/today", nil)
	page := p.location(res, http.StatusSeeOther)
	if page != "/schools/"+demo.OrgID("a")+"/today" {
		t.Fatalf("the menu's day leads to %q", page)
	}
	status, html := p.get(page)
	if status != http.StatusOK {
		t.Fatalf("the day: %d\n%s", status, html)
	}
	for _, want := range []string{
		"Dagens läge – Ekbackens skola", "Registrerade: 1 av 2 lektioner som har börjat", "Inte registrerade: 1",
		"David Lärarsson", "Eva Ämnesdóttir", "Frånvarande: 2, sena: 0", "Inte registrerad",
		"Meddelanden skickade i dag: 2. Elever som de gällde: 2.",
		"dagens meddelande inte har nått: 1", `<a href="/processes/` + absence.AbsenceDayID(c.ids["ola"], day) + `">Ola Testsson</a>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the day's page lacks %q", want)
		}
	}
	if strings.Contains(html, "Pia Testsson") {
		t.Error("Pia's guardian was reached, yet she is listed")
	}
	if t.Failed() {
		t.Fatalf("the page:\n%s", html)
	}
	if status, _ := s.browse(t, "rektor-b").get(page); status != http.StatusNotFound {
		t.Fatalf("rektor-b on school A's day: %d, want 404", status)
	}

	// Nobody reached Ola's guardian: the mentor's task, not done in time, goes to the principal.
	var task store.TaskView
	eventually(t, 30*time.Second, "the reach task with the principal", func() bool {
		for _, v := range get[[]store.TaskView](s.as("rektor-a"), "/api/v1/tasks?kind=absence.reach-guardians") {
			if v.SubjectPerson != nil && *v.SubjectPerson == c.ids["ola"] {
				task = v
				return true
			}
		}
		return false
	})
	status, html = p.get("/tasks")
	if status != http.StatusOK || !strings.Contains(html, `action="/tasks/`+task.ID+`/reassign"`) ||
		!strings.Contains(html, "<label for=\""+task.ID+"-personId\">Ge uppgiften till</label>") {
		t.Fatalf("the principal's inbox has no reassignment form:\n%s", html)
	}
	for _, option := range []string{"Anna Rektorsson (rektor)", "David Lärarsson (lärare)", "Eva Ämnesdóttir (lärare)"} {
		if !strings.Contains(html, option) {
			t.Errorf("the form does not offer %q", option)
		}
	}
	if strings.Contains(html, "Cecilia Admin") {
		t.Error("the form offers the administrator, who cannot hold the task")
	}
	// Someone who cannot hold it: answered plainly, nothing moved.
	before := assignmentOf(t, s, task.ID)
	res, html = p.post("/tasks/"+task.ID+"/reassign", url.Values{"personId": {s.id("admin-a")}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Uppgiften kunde inte ges till den du valde") {
		t.Fatalf("reassigning to the administrator: %d\n%s", res.StatusCode, html)
	}
	if after := assignmentOf(t, s, task.ID); after != before {
		t.Fatalf("a refused reassignment moved the task: %+v, then %+v", before, after)
	}
	res, _ = p.post("/tasks/"+task.ID+"/reassign", url.Values{"personId": {s.id("larare-a2")}})
	if got := p.location(res, http.StatusSeeOther); got != "/tasks" {
		t.Fatalf("reassigned to %q", got)
	}
	if status, html := p.get("/tasks"); status != http.StatusOK || !strings.Contains(html, "Uppgiften har fått en ny ansvarig.") ||
		strings.Contains(html, task.ID) {
		t.Fatalf("after the reassignment: %d\n%s", status, html)
	}
	if a := assignmentOf(t, s, task.ID); a.person != s.id("larare-a2") || a.handedOn != 1 {
		t.Fatalf("the task after the reassignment: %+v", a)
	}

	// The teacher who has it now sees no form, and a form posted anyway is refused.
	teacher := s.browse(t, "larare-a2")
	status, html = teacher.get("/tasks")
	if status != http.StatusOK || !strings.Contains(html, `id="task-`+task.ID+`"`) || strings.Contains(html, "/reassign") {
		t.Fatalf("the teacher's inbox: %d\n%s", status, html)
	}
	res, html = teacher.post("/tasks/"+task.ID+"/reassign", url.Values{"personId": {s.id("larare-a1")}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(html, "You may not do this") { // larare-a2 reads English
		t.Fatalf("a teacher reassigning: %d, want 403\n%s", res.StatusCode, html)
	}
	if a := assignmentOf(t, s, task.ID); a.person != s.id("larare-a2") || a.handedOn != 1 {
		t.Fatalf("the teacher's refused reassignment moved the task: %+v", a)
	}
	// The principal's form for a task done meanwhile: the inbox as it is now, with a word (409).
	completeTask(t, s, "larare-a2", task, map[string]any{"outcome": "reached"})
	res, html = p.post("/tasks/"+task.ID+"/reassign", url.Values{"personId": {s.id("larare-a1")}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "Uppgiften var redan klar") {
		t.Fatalf("reassigning a task done meanwhile: %d\n%s", res.StatusCode, html)
	}
}

// A leave application's history, as the school's principal reads it: who did what and when, in
// words, each person by name, and no id.
func TestTheLeaveHistoryInWords(t *testing.T) {
	s := newStack(t)
	c := newClass(t, s, map[string][]string{"lea": {"lea-1", "lea-2"}})
	pupil := c.ids["lea"]
	from, to := leaveDays(2)
	app := applyForLeave(s, c.user("lea-1"), pupil, from, to, "Resa")
	completeTask(t, s, c.user("lea-2"), taskFor(t, s, c.user("lea-2"), "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", "leave.opinion", pupil), map[string]any{"opinion": "supports"})
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "leave.decide", pupil), map[string]any{"decision": "granted"})
	applicationOf(t, s, "rektor-a", pupil, app.ID, "granted")

	p := s.browse(t, "rektor-a")
	var html string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		var status int
		status, html = p.get("/processes/" + app.ProcessID)
		if status == http.StatusOK && strings.Count(html, "Ett meddelande skickades till Lea-") >= 3 || time.Now().After(deadline) {
			break
		}
	}
	for _, want := range []string{
		"<h1>Ärendets historik</h1>", "Ledighetsansökan · startat", "Gäller: Lea Testsson",
		"Uppgiften gavs till Lea-2 Testsson.", "Lea-2 Testsson svarade: ”Jag godkänner ansökan”.",
		"Uppgiften gavs till David Lärarsson.", "David Lärarsson svarade: ”Jag stödjer ansökan”.",
		"Uppgiften gavs till skolans rektor.", "Anna Rektorsson svarade: ”Bevilja ledigheten”.",
		"Ett meddelande skickades till Lea-1 Testsson (i Skolflow, e-post).",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if id := anID.FindString(textOf(html)); id != "" {
		t.Errorf("the history shows the id %q", id)
	}
	if t.Failed() {
		t.Fatalf("the history:\n%s", html)
	}
}
