package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/register"
)

// No 500 from any input (issue 11, point 5): text that is not plain (a NUL, bytes that are not
// UTF-8) wherever the API reads it, absurd dates, addresses the database refuses, text longer
// than its field, impossible minutes, and a PUT that would reset a setting by leaving a member
// out. Each is a 4xx problem naming the field, and nothing is written.

const (
	nul     = `\u0000` // a NUL, as JSON writes it
	notUTF8 = "\xff"   // a byte that is not UTF-8
)

// badInput is one refused request.
type badInput struct {
	name, user, method, path string
	body                     string      // sent as it is; "" for none
	header                   http.Header // in place of the defaults
	status                   int         // 0: 422
	fields                   []string    // each named in the problem's errors
}

func TestBadInputIsRefusedNamingTheFieldAndWritesNothing(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	_, task := addDecision(t, s)
	schoolA := "/api/v1/schools/" + demo.OrgID("a")
	if r := s.as("rektor-a").do("PUT", schoolA+"/leave-delegation", leave.Delegation{MentorMaxDays: 5}, nil); r.StatusCode != 200 {
		t.Fatalf("delegating five days: %d", r.StatusCode)
	}
	maja := "/api/v1/persons/" + s.id("elev-1")
	grandfather := maja + "/responsibles/" + s.id("annan-1")
	member := "/api/v1/groups/" + demo.GroupID("7a") + "/members/" + s.id("elev-1")
	register := "/api/v1/lessons/" + started + "/attendance"
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	from, to := leaveDays(6)
	long := func(n int) string { return strings.Repeat("å", n) }
	lesson := func(start, end, subject string) string {
		return fmt.Sprintf(`{"lessons": [{"id": %q, "group": %q, "teacher": %q, "subjectCode": "%s", "start": %q, "end": %q}]}`,
			uuid.NewString(), demo.GroupID("7a"), s.id("larare-a1"), subject, start, end)
	}
	contact := func(email, phone, channels string) string {
		return `{"language": "sv", "email": ` + email + `, "phone": ` + phone + `, "channels": ` + channels + `}`
	}
	late := func(status string, minutes int) string {
		return fmt.Sprintf(`{"registrations": [{"person": %q, "status": %q, "minutesLate": %d}]}`, s.id("elev-1"), status, minutes)
	}
	lessonAt := time.Now().Add(-2 * time.Hour).Format(time.RFC3339)
	lessonEnd := time.Now().Add(-time.Hour).Format(time.RFC3339)

	cases := []badInput{
		// Text that is not plain, in every body, at any depth.
		{name: "NUL in a code", user: "admin-a", method: "PUT", path: grandfather,
			body: `{"relationType": "Annan ansvarig` + nul + `", "startDate": null, "endDate": null}`, fields: []string{"relationType"}},
		{name: "NUL in a date", user: "admin-a", method: "PUT", path: member,
			body: `{"startDate": "2026-08-17` + nul + `", "endDate": null}`, fields: []string{"startDate"}},
		{name: "not UTF-8 in a signature", user: "admin-a", method: "POST", path: schoolA + "/duties",
			body:   `{"person": "` + s.id("larare-b1") + `", "dutyRole": "Lärare", "signature": "AB` + notUTF8 + `", "startDate": "2026-01-01"}`,
			fields: []string{"signature"}},
		{name: "NUL in a lesson's subject", user: "admin-a", method: "POST", path: schoolA + "/lessons",
			body: lesson(lessonAt, lessonEnd, "MA"+nul), fields: []string{"lessons/0/subjectCode"}},
		{name: "NUL in a registration", user: "larare-a1", method: "PUT", path: register,
			body: `{"registrations": [{"person": "` + s.id("elev-1") + `", "status": "absent` + nul + `"}]}`, fields: []string{"registrations/0/status"}},
		{name: "NUL in a lesson id", user: "larare-a1", method: "POST", path: maja + "/absences",
			body: `{"day": "` + today + `", "lessonId": "` + started + nul + `"}`, fields: []string{"lessonId"}},
		{name: "not UTF-8 in a report's date", user: "vh-1", method: "POST", path: maja + "/absence-reports",
			body: `{"from": "` + today + notUTF8 + `", "to": "` + today + `"}`, fields: []string{"from"}},
		{name: "NUL in a reply", user: "vh-1", method: "POST", path: maja + "/absence-days/" + today + "/reply",
			body: `{"reason": "Sjuk` + nul + `"}`, fields: []string{"reason"}},
		{name: "not UTF-8 in a leave reason", user: "vh-1", method: "POST", path: maja + "/leave-applications",
			body: `{"from": "` + from + `", "to": "` + to + `", "reason": "Resa` + notUTF8 + `"}`, fields: []string{"reason"}},
		{name: "NUL in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1`+nul+`@skolflow.test"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "NUL in a task's payload", user: "rektor-a", method: "POST", path: "/api/v1/tasks/" + task + "/complete",
			body: `{"payload": {"decision": "granted` + nul + `"}}`, fields: []string{"payload/decision"}},
		{name: "NUL in a payload's member name", user: "rektor-a", method: "POST", path: "/api/v1/tasks/" + task + "/complete",
			body: `{"payload": {"decision` + nul + `": "granted"}}`, fields: []string{"payload"}},
		{name: "NUL in an assignee", user: "rektor-a", method: "POST", path: "/api/v1/tasks/" + task + "/reassign",
			body: `{"assignee": {"role": "Lärare` + nul + `", "orgId": "` + demo.OrgID("a") + `"}}`, fields: []string{"assignee/role"}},
		{name: "NUL in a demo user", method: "POST", path: "/dev/token",
			body: `{"user": "vh-1` + nul + `"}`, fields: []string{"user"}},
		{name: "NUL in an imported name", user: "admin-huvudman", method: "POST", path: "/api/v1/register/import",
			body:   `{"persons": [{"id": "` + uuid.NewString() + `", "givenName": "A` + nul + `", "familyName": "B"}]}`,
			fields: []string{"/persons/0/givenName"}},
		{name: "not UTF-8 in an imported name", user: "admin-huvudman", method: "POST", path: "/api/v1/register/import",
			body:   `{"persons": [{"id": "` + uuid.NewString() + `", "givenName": "A", "familyName": "B` + notUTF8 + `"}]}`,
			fields: []string{"/persons/0/familyName"}},

		// ... in query parameters and headers.
		{name: "NUL in a query", user: "larare-a1", method: "GET", path: "/api/v1/me/lessons?from=%00", fields: []string{"from"}},
		{name: "not UTF-8 in a query", user: "vh-1", method: "GET", path: maja + "/attendance?from=2026-01-01&to=%FF", fields: []string{"to"}},
		{name: "NUL in a filter", user: "larare-a1", method: "GET", path: "/api/v1/tasks?kind=a%00", fields: []string{"kind"}},
		{name: "not UTF-8 in a flag", user: "vh-1", method: "GET", path: "/api/v1/notifications?unread=%FF", fields: []string{"unread"}},
		{name: "not UTF-8 in the token", method: "GET", path: "/api/v1/me",
			header: http.Header{"Authorization": {"Bearer ey" + notUTF8}}, status: 401, fields: []string{"Authorization"}},

		// Dates: years 1900 to 2200, everywhere.
		{name: "a relation from year 0 to 9999", user: "admin-a", method: "PUT", path: grandfather,
			body: `{"relationType": "Annan ansvarig", "startDate": "0000-01-01", "endDate": "9999-12-31"}`, fields: []string{"startDate", "endDate"}},
		{name: "a membership from 9999", user: "admin-a", method: "PUT", path: member,
			body: `{"startDate": "9999-01-01", "endDate": null}`, fields: []string{"startDate"}},
		{name: "a duty from year 0", user: "admin-a", method: "POST", path: schoolA + "/duties",
			body: `{"person": "` + s.id("larare-b1") + `", "dutyRole": "Lärare", "startDate": "0000-12-31"}`, fields: []string{"startDate"}},
		{name: "a lesson in year 0", user: "admin-a", method: "POST", path: schoolA + "/lessons",
			body: lesson("0000-01-01T08:00:00Z", "0000-01-01T09:00:00Z", "MA"), fields: []string{"lessons/0/start", "lessons/0/end"}},
		{name: "a lesson from 1899", user: "admin-a", method: "POST", path: schoolA + "/lessons",
			body: lesson("1899-12-31T08:00:00Z", "1899-12-31T09:00:00Z", "MA"), fields: []string{"lessons/0/start"}},
		{name: "a missed lesson in 9999", user: "larare-a1", method: "POST", path: maja + "/absences",
			body: `{"day": "9999-12-31", "lessonId": "` + started + `"}`, fields: []string{"day"}},
		{name: "a report from year 0", user: "vh-1", method: "POST", path: maja + "/absence-reports",
			body: `{"from": "0000-01-01", "to": "0000-01-02"}`, fields: []string{"from", "to"}},
		{name: "a report until 9999", user: "vh-1", method: "POST", path: maja + "/absence-reports",
			body: `{"from": "` + today + `", "to": "9999-12-31"}`, fields: []string{"to"}},
		{name: "a reply to a day in 9999", user: "vh-1", method: "POST", path: maja + "/absence-days/9999-12-31/reply",
			body: `{"reason": "Sjuk"}`, fields: []string{"day"}},
		{name: "an absence day in year 0", user: "vh-1", method: "GET", path: maja + "/absence-days/0000-01-01", fields: []string{"day"}},
		{name: "leave in 9999", user: "vh-1", method: "POST", path: maja + "/leave-applications",
			body: `{"from": "9999-01-01", "to": "9999-01-02", "reason": "Resa"}`, fields: []string{"from", "to"}},
		{name: "lessons from year 0", user: "larare-a1", method: "GET", path: "/api/v1/me/lessons?from=0000-01-01", fields: []string{"from"}},
		{name: "a sum from year 0 to 9999", user: "vh-1", method: "GET", path: maja + "/attendance?from=0000-01-01&to=9999-12-31",
			fields: []string{"from", "to"}},
		{name: "tasks due before 9999", user: "larare-a1", method: "GET", path: "/api/v1/tasks?dueBefore=9999-12-31T00:00:00Z",
			fields: []string{"dueBefore"}},
		{name: "tasks due before year 0", user: "larare-a1", method: "GET", path: "/api/v1/tasks?dueBefore=0000-01-01T00:00:00Z",
			fields: []string{"dueBefore"}},
		{name: "an imported relation from year 0 to 9999", user: "admin-huvudman", method: "POST", path: "/api/v1/register/import",
			body: `{"responsibles": [{"person": "` + s.id("elev-1") + `", "responsible": "` + s.id("annan-1") +
				`", "relationType": "Annan ansvarig", "startDate": "0000-01-01", "endDate": "9999-12-31"}]}`,
			fields: []string{"/responsibles/0/startDate", "/responsibles/0/endDate"}},

		// Addresses the database refuses: Unicode line and paragraph separators, controls.
		{name: "a line separator in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1\u2028x@skolflow.test"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "a paragraph separator in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1@skolflow.test\u2029"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "a next line in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1\u0085@skolflow.test"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "a vertical tab in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1\u000b@skolflow.test"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "a control character in an address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"vh-1\u0001@skolflow.test"`, "null", `["email"]`), fields: []string{"email"}},
		{name: "a line separator in a phone number", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact("null", `"+4670\u20281234567"`, `["sms"]`), fields: []string{"phone"}},
		{name: "an address of 255 characters", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: contact(`"`+strings.Repeat("a", 243)+`@skolflow.se"`, "null", `["email"]`), fields: []string{"email"}},

		// Text longer than its field.
		{name: "a reply of 1001 characters", user: "vh-1", method: "POST", path: maja + "/absence-days/" + today + "/reply",
			body: `{"reason": "` + long(1001) + `"}`, fields: []string{"reason"}},
		{name: "a leave reason of 1001 characters", user: "vh-1", method: "POST", path: maja + "/leave-applications",
			body: `{"from": "` + from + `", "to": "` + to + `", "reason": "` + long(1001) + `"}`, fields: []string{"reason"}},
		{name: "a signature of 21 characters", user: "admin-a", method: "POST", path: schoolA + "/duties",
			body:   `{"person": "` + s.id("larare-b1") + `", "dutyRole": "Lärare", "signature": "` + long(21) + `", "startDate": "2026-01-01"}`,
			fields: []string{"signature"}},
		{name: "a subject of 21 characters", user: "admin-a", method: "POST", path: schoolA + "/lessons",
			body: lesson(lessonAt, lessonEnd, long(21)), fields: []string{"lessons/0/subjectCode"}},
		{name: "a payload text of 1001 characters", user: "rektor-a", method: "POST", path: "/api/v1/tasks/" + task + "/complete",
			body: `{"payload": {"decision": "` + long(1001) + `"}}`, fields: []string{"payload/decision"}},
		{name: "a filter of 65 characters", user: "larare-a1", method: "GET", path: "/api/v1/tasks?kind=" + strings.Repeat("a", 65),
			fields: []string{"kind"}},
		{name: "a demo user of 65 characters", method: "POST", path: "/dev/token", body: `{"user": "` + long(65) + `"}`, fields: []string{"user"}},
		{name: "an imported name of 201 characters", user: "admin-huvudman", method: "POST", path: "/api/v1/register/import",
			body:   `{"persons": [{"id": "` + uuid.NewString() + `", "givenName": "` + long(201) + `", "familyName": "B"}]}`,
			fields: []string{"/persons/0/givenName"}},

		// Minutes: late only with status late, from 1 to the lesson's length less one (40 minutes).
		{name: "present with negative minutes", user: "larare-a1", method: "PUT", path: register, body: late("present", -5),
			fields: []string{"registrations/0/minutesLate"}},
		{name: "absent with minutes", user: "larare-a1", method: "PUT", path: register, body: late("absent", 10),
			fields: []string{"registrations/0/minutesLate"}},
		{name: "late by negative minutes", user: "larare-a1", method: "PUT", path: register, body: late("late", -1),
			fields: []string{"registrations/0/minutesLate"}},
		{name: "late by the whole lesson", user: "larare-a1", method: "PUT", path: register, body: late("late", 40),
			fields: []string{"registrations/0/minutesLate"}},
		{name: "late beyond the lesson", user: "larare-a1", method: "PUT", path: register, body: late("late", 100000),
			fields: []string{"registrations/0/minutesLate"}},

		// A PUT leaves nothing out: a member missing or null is named, never reset to a default.
		{name: "empty contact preferences", user: "vh-1", method: "PUT", path: "/api/v1/me/contact", body: `{}`,
			fields: []string{"language", "email", "phone", "channels"}},
		{name: "null channels", user: "vh-1", method: "PUT", path: "/api/v1/me/contact", body: contact("null", "null", "null"),
			fields: []string{"channels"}},
		{name: "contact preferences without the address", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: `{"language": "sv", "channels": []}`, fields: []string{"email", "phone"}},
		{name: "a null language", user: "vh-1", method: "PUT", path: "/api/v1/me/contact",
			body: `{"language": null, "email": null, "phone": null, "channels": []}`, fields: []string{"language"}},
		{name: "an empty delegation", user: "rektor-a", method: "PUT", path: schoolA + "/leave-delegation", body: `{}`,
			fields: []string{"mentorMaxDays"}},
		{name: "a null delegation", user: "rektor-a", method: "PUT", path: schoolA + "/leave-delegation", body: `{"mentorMaxDays": null}`,
			fields: []string{"mentorMaxDays"}},
		{name: "an empty relation", user: "admin-a", method: "PUT", path: grandfather, body: `{}`,
			fields: []string{"relationType", "startDate", "endDate"}},
		{name: "a relation without its dates", user: "admin-a", method: "PUT", path: grandfather, body: `{"relationType": "Annan ansvarig"}`,
			fields: []string{"startDate", "endDate"}},
		{name: "a null relation type", user: "admin-a", method: "PUT", path: grandfather,
			body: `{"relationType": null, "startDate": null, "endDate": null}`, fields: []string{"relationType"}},
		{name: "a membership without its end", user: "admin-a", method: "PUT", path: member, body: `{"startDate": "2026-08-17"}`,
			fields: []string{"endDate"}},
		{name: "a null membership start", user: "admin-a", method: "PUT", path: member, body: `{"startDate": null, "endDate": null}`,
			fields: []string{"startDate"}},
		{name: "an empty register", user: "larare-a1", method: "PUT", path: register, body: `{}`, fields: []string{"registrations"}},
		{name: "a null register", user: "larare-a1", method: "PUT", path: register, body: `{"registrations": null}`,
			fields: []string{"registrations"}},
		{name: "a null payload", user: "rektor-a", method: "POST", path: "/api/v1/tasks/" + task + "/complete", body: `{"payload": null}`,
			fields: []string{"payload"}},
	}
	before := written(t, s)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refused(t, s, c)
			if after := written(t, s); !maps.Equal(after, before) {
				var changed []string
				for table := range after {
					if after[table] != before[table] {
						changed = append(changed, table+": "+before[table]+" -> "+after[table])
					}
				}
				t.Fatalf("a refused request wrote: %v", changed)
			}
		})
	}
}

// refused sends c and checks that it is refused with a problem naming each of its fields.
func refused(t *testing.T, s *stack, c badInput) {
	t.Helper()
	sub := *s // this test's client of the same stack
	sub.t = t
	sub.as(c.user)
	var body []byte
	if c.body != "" {
		body = []byte(c.body)
	}
	res := sub.doRaw(c.method, c.path, body, c.header, nil)
	want := c.status
	if want == 0 {
		want = http.StatusUnprocessableEntity
	}
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d", c.method, c.path, res.StatusCode, want)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p api.Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatalf("the answer is not a problem document: %v", err)
	}
	var named []string
	for _, e := range p.Errors {
		named = append(named, e.Field)
		if strings.ContainsAny(e.Detail, "\x00") || strings.Contains(strings.ToLower(e.Detail), "sql") {
			t.Errorf("a detail leaks what it should not: %q", e.Detail)
		}
	}
	for _, f := range c.fields {
		if !slices.Contains(named, f) {
			t.Errorf("errors %+v do not name %s", p.Errors, f)
		}
	}
}

// writableTables are the tables a request could write to.
var writableTables = []string{"organisations", "persons", "person_principal_names", "responsibles", "duties",
	"group_memberships", "lessons", "attendance", "absence_outbox", "absence_reports", "absence_replies",
	"leave_applications", "leave_delegations", "contact_preferences", "tasks", "register_version",
	"person_addresses", "organisation_addresses", "school_capacities", "enrollment_rounds", "applications", "application_versions"}

// written fingerprints what the tables a request could write hold: each one's row count and a
// hash of its rows, so that an update shows as well as an insert.
func written(t *testing.T, s *stack) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range writableTables {
		var n int
		var sum string
		// table is one of ours, never input.
		if err := s.db.QueryRow(context.Background(), `SELECT count(*), coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '')
			FROM `+table+` x`).Scan(&n, &sum); err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d rows %s", n, sum)
	}
	return out
}

// Headers the API reads: a request ID that is not plain text is replaced like any malformed
// one, and never refuses the request; a NUL in a header never reaches the API at all, since Go's
// HTTP server answers 400 for it first.
func TestBadInputInHeaders(t *testing.T) {
	s := newStack(t).as("vh-1")
	for _, id := range []string{"abc" + notUTF8, "abc\u2028"} {
		res := s.doRaw("GET", "/api/v1/me", nil, http.Header{"X-Request-Id": {id}}, nil)
		if res.StatusCode != 200 || res.Header.Get("X-Request-ID") == id || res.Header.Get("X-Request-ID") == "" {
			t.Fatalf("request ID %q: %d, answered with ID %q; want 200 and a new ID", id, res.StatusCode, res.Header.Get("X-Request-ID"))
		}
	}
	for _, header := range []string{"Authorization: Bearer ey\x00J", "X-Request-ID: abc\x00def"} {
		conn, err := net.Dial("tcp", s.api.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := fmt.Fprintf(conn, "GET /api/v1/me HTTP/1.1\r\nHost: skolflow\r\n%s\r\nConnection: close\r\n\r\n", header); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%q: %d, want 400 from the HTTP server", header, res.StatusCode)
		}
	}
}

// A lesson ending in 9999 (or lasting longer than a school day, or before 1900) is refused, so
// the attendance sums of its group, which add up every lesson's minutes, keep working; and the
// sums no longer overflow even for a lesson written around the API before this check.
func TestBadInputLessonEndingIn9999KeepsTheGroupsSums(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+started+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: s.id("elev-3"), Status: "late", MinutesLate: 10}}}, nil); r.StatusCode != 200 {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	var group register.GroupView
	if r := s.do("GET", "/api/v1/groups/"+demo.GroupID("7a"), nil, &group); r.StatusCode != 200 || len(group.Members) == 0 {
		t.Fatalf("the group: %d %+v", r.StatusCode, group)
	}
	sums := func() map[string]attendance.Sum {
		t.Helper()
		out := map[string]attendance.Sum{}
		for _, pupil := range group.Members {
			var sum attendance.Sum
			res := s.as("larare-a1").do("GET", "/api/v1/persons/"+pupil.ID+"/attendance?from=1900-01-01&to=2200-12-31", nil, nil)
			if res.StatusCode != 200 {
				t.Fatalf("%s's sum: %d", pupil.GivenName, res.StatusCode)
			}
			if err := json.NewDecoder(res.Body).Decode(&sum); err != nil {
				t.Fatal(err)
			}
			out[pupil.ID] = sum
		}
		return out
	}
	before := sums()
	if got := before[s.id("elev-3")]; got.ScheduledMinutes != 80 || got.AttendedMinutes != 30 || got.InvalidAbsenceMinutes != 10 {
		t.Fatalf("Olle's sum over the whole range: %+v, want 80 scheduled, 30 attended, 10 invalid", got)
	}
	lessonsBefore := written(t, s)["lessons"]
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	for _, c := range []struct {
		name       string
		start, end time.Time
		field      string
	}{
		{"ending in 9999", start, time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), "lessons/0/end"},
		{"ending in 2201", start, time.Date(2201, 1, 1, 8, 0, 0, 0, time.UTC), "lessons/0/end"},
		{"eleven hours long", start, start.Add(11 * time.Hour), "lessons/0/end"},
		{"in 1899", time.Date(1899, 12, 31, 8, 0, 0, 0, time.UTC), time.Date(1899, 12, 31, 9, 0, 0, 0, time.UTC), "lessons/0/start"},
	} {
		t.Run(c.name, func(t *testing.T) {
			body, err := json.Marshal(attendance.LessonImport{Lessons: []attendance.Lesson{{ID: uuid.NewString(), Group: demo.GroupID("7a"),
				Teacher: s.id("larare-a1"), Start: c.start, End: c.end}}})
			if err != nil {
				t.Fatal(err)
			}
			refused(t, s, badInput{user: "admin-a", method: "POST", path: "/api/v1/schools/" + demo.OrgID("a") + "/lessons",
				body: string(body), fields: []string{c.field}})
			if after := written(t, s)["lessons"]; after != lessonsBefore {
				t.Fatalf("lessons: %s, then %s after a refused import", lessonsBefore, after)
			}
		})
	}
	if after := sums(); !maps.Equal(after, before) {
		t.Fatalf("the group's sums moved: %v, then %v", before, after)
	}
	// A lesson written around the API before lessons were bounded: the sums add up in bigint.
	if _, err := s.db.Exec(context.Background(), `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		VALUES ($1, $2, $3, $4, $5, '9999-12-31T23:00:00Z')`, uuid.NewString(), demo.GroupID("7a"), demo.OrgID("a"), s.id("larare-a1"), start); err != nil {
		t.Fatal(err)
	}
	if got := sums()[s.id("elev-3")]; got.ScheduledMinutes <= 1<<31 || got.AttendedMinutes != 30 {
		t.Fatalf("Olle's sum with a lesson to 9999 on record: %+v, want its minutes beyond 2^31 and 30 attended", got)
	}
}

// A guardian's reply is stored before the process takes it: when storing fails, the process
// never hears of it (no mentor's task); sent again, it is the same reply (one reason, one task);
// and a reply the process refuses leaves no reason behind.
func TestBadInputReplyIsNeverHalfWritten(t *testing.T) {
	s := newStack(t)
	c := newClass(t, s, map[string][]string{"alva": {"alva-1"}, "bo": {"bo-1"}}) // absence days of this test's own
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	lesson := uuid.NewString()
	start := startedBefore(time.Now().Truncate(time.Minute), time.Minute)
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: lesson, Group: c.group, Teacher: s.id("larare-a1"), Start: start, End: start.Add(40 * time.Minute)}}}, nil); r.StatusCode != 200 {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: c.ids["alva"], Status: "absent"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	process := absence.AbsenceDayID(c.ids["alva"], today)
	eventually(t, 15*time.Second, "the guardians' notice", func() bool {
		return rows(t, s, `SELECT count(*) FROM absence_notices WHERE process_id = $1`, process) > 0
	})
	reply := "/api/v1/persons/" + c.ids["alva"] + "/absence-days/" + today + "/reply"
	stored := func() int { return rows(t, s, `SELECT count(*) FROM absence_replies WHERE process_id = $1`, process) }
	tasks := func() int {
		return rows(t, s, `SELECT count(*) FROM tasks WHERE process_id = $1 AND kind = 'absence.classify'`, process)
	}

	// Storing the reason fails: the process is not told.
	if _, err := s.db.Exec(context.Background(), `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
		CREATE TRIGGER refuse BEFORE INSERT ON absence_replies FOR EACH ROW EXECUTE FUNCTION refuse()`); err != nil {
		t.Fatal(err)
	}
	var p api.Problem
	if r := s.as(c.user("alva-1")).do("POST", reply, absence.AbsenceReplyInput{Reason: "Tandläkarbesök"}, &p); r.StatusCode != 500 ||
		strings.Contains(p.Detail, "disk") {
		t.Fatalf("a reply whose reason cannot be stored: %d %+v, want 500 without the cause", r.StatusCode, p)
	}
	// The reply answers only once the process has answered, so its task would be here by now.
	if n, m := stored(), tasks(); n != 0 || m != 0 {
		t.Fatalf("after a failed store: %d reasons and %d mentor's tasks, want none", n, m)
	}
	if _, err := s.db.Exec(context.Background(), `DROP TRIGGER refuse ON absence_replies`); err != nil {
		t.Fatal(err)
	}

	// Sent, and sent again: the same reply.
	var first, again absence.AbsenceReplyAnswer
	if r := s.do("POST", reply, absence.AbsenceReplyInput{Reason: "Tandläkarbesök"}, &first); r.StatusCode != 200 || first.TaskID == "" {
		t.Fatalf("the reply: %d %+v", r.StatusCode, first)
	}
	if r := s.do("POST", reply, absence.AbsenceReplyInput{Reason: "Tandläkarbesök"}, &again); r.StatusCode != 200 || again != first {
		t.Fatalf("the same reply again: %d %+v, want 200 and task %s", r.StatusCode, again, first.TaskID)
	}
	if n, m := stored(), tasks(); n != 1 || m != 1 {
		t.Fatalf("after one reply sent twice: %d reasons and %d mentor's tasks, want one of each", n, m)
	}

	// A reply the process refuses (a day without a notice) leaves no reason.
	other := absence.AbsenceDayID(c.ids["bo"], today)
	if r := s.as(c.user("bo-1")).do("POST", "/api/v1/persons/"+c.ids["bo"]+"/absence-days/"+today+"/reply",
		absence.AbsenceReplyInput{Reason: "Sjuk"}, nil); r.StatusCode != 409 {
		t.Fatalf("answering a day with no notice: %d, want 409", r.StatusCode)
	}
	if n := rows(t, s, `SELECT count(*) FROM absence_replies WHERE process_id = $1`, other); n != 0 {
		t.Fatalf("a refused reply left %d reasons", n)
	}
}

// rows answers a count query, failing the test on any error.
func rows(t *testing.T, s *stack, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
