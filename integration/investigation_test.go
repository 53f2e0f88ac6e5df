package integration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// registered writes a 7A lesson of 40 minutes on day at hour, and the pupils' attendance in it:
// attended, valid or invalid absence. The review reads what the register holds, so the test
// writes it directly rather than through a teacher's request on the day.
func registered(t *testing.T, s *stack, day time.Time, hour int, pupils map[string]string) string {
	t.Helper()
	ctx := context.Background()
	lesson, start := uuid.NewString(), clock(day, hour, 0)
	if _, err := s.db.Exec(ctx, `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5, $6)`,
		lesson, demo.GroupID("7a"), demo.OrgID("a"), s.id("larare-a1"), start, start.Add(40*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for pupil, how := range pupils {
		minutes := map[string][3]int{"attended": {40, 0, 0}, "valid": {0, 40, 0}, "invalid": {0, 0, 40}}[how]
		status := map[string]string{"attended": "present", "valid": "absent", "invalid": "absent"}[how]
		if _, err := s.db.Exec(ctx, `INSERT INTO attendance (lesson_id, person_id, status, attended_minutes, valid_absence_minutes,
			invalid_absence_minutes, registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			lesson, s.id(pupil), status, minutes[0], minutes[1], minutes[2], s.id("larare-a1")); err != nil {
			t.Fatal(err)
		}
	}
	return lesson
}

// The daily review adds up October per pupil. Invalid absence on three days opens an
// investigation, and so does absence of half the registered time; one invalid lesson in a
// month of attendance does not. The review reads one pupil a run here, so it continues as new
// and still answers all it opened. The principal investigates and reports to the home
// municipality; the record follows. A second review the same month opens nothing new, by the
// record: the closed investigation's execution is deleted first, so its workflow ID is free.
func TestAbsenceReviewOpensInvestigations(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	october := time.Date(2026, 10, 5, 0, 0, 0, 0, register.SchoolDay) // a Monday
	for d := range 3 {
		day := october.AddDate(0, 0, d)
		registered(t, s, day, 8, map[string]string{"elev-1": "invalid", "elev-2": "valid", "elev-4": "attended"})
		registered(t, s, day, 10, map[string]string{"elev-1": "attended", "elev-2": "attended", "elev-4": map[bool]string{true: "invalid", false: "attended"}[d == 0]})
	}
	// review runs a review of October, page pupils a run, and answers its ID, its first run and
	// how many investigations it opened.
	review := func(page int) (id, firstRun string, opened int) {
		t.Helper()
		run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "review-" + randomHex(), TaskQueue: s.queue},
			absence.AbsenceReview, absence.AbsenceReviewInput{SharePercent: 50, Repeats: 3, InvestigationDue: time.Hour,
				DeliveryDeadline: time.Minute, At: time.Date(2026, 10, 31, 18, 0, 0, 0, register.SchoolDay), Page: page})
		if err != nil {
			t.Fatal(err)
		}
		id, firstRun = run.GetID(), run.GetRunID() // before Get, which follows the runs it continued as
		if err := run.Get(ctx, &opened); err != nil {
			t.Fatal(err)
		}
		return id, firstRun, opened
	}
	id, first, n := review(1)
	if n != 2 {
		t.Fatalf("the review opened %d investigations, want 2 (elev-1 by repeats, elev-2 by share)", n)
	}
	recordHistory(t, s, id, first, "absence/testdata/absence_review_continued_as_new.json")

	investigations := "/api/v1/schools/" + demo.OrgID("a") + "/absence-investigations"
	var list []absence.AbsenceInvestigation
	got := map[string]string{}
	eventually(t, 10*time.Second, "the investigations on record", func() bool {
		list = get[[]absence.AbsenceInvestigation](s.as("rektor-a"), investigations)
		return len(list) == 2
	})
	for _, inv := range list {
		got[inv.PupilID] = fmt.Sprintf("%s %d days %d%% %s", inv.Month, inv.InvalidDays, inv.AbsentPercent, inv.Status)
	}
	want := map[string]string{s.id("elev-1"): "2026-10 3 days 50% open", s.id("elev-2"): "2026-10 0 days 50% open"}
	if len(got) != 2 || got[s.id("elev-1")] != want[s.id("elev-1")] || got[s.id("elev-2")] != want[s.id("elev-2")] {
		t.Fatalf("investigations %v, want %v", got, want)
	}

	pupil := s.id("elev-1")
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "absence.investigate", pupil), map[string]any{"conclusion": "measures-taken"})
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "absence.report-home-municipality", pupil), map[string]any{"report": "reported"})
	eventually(t, 10*time.Second, "the investigation to close", func() bool {
		list := get[[]absence.AbsenceInvestigation](s.as("rektor-a"), investigations)
		i := slices.IndexFunc(list, func(inv absence.AbsenceInvestigation) bool { return inv.PupilID == pupil })
		return i >= 0 && list[i].Status == "closed" && list[i].Conclusion != nil && *list[i].Conclusion == "measures-taken"
	})
	investigation := absence.InvestigationID(pupil, "2026-10")
	var conclusion string
	closed(t, s, investigation, 10*time.Second, &conclusion)
	if conclusion != "measures-taken" {
		t.Fatalf("the investigation concluded %q", conclusion)
	}
	recordHistory(t, s, investigation, "", "absence/testdata/investigation_completed.json")
	// Temporal keeps a closed execution only for its retention; then the workflow ID is free
	// again. Delete it now, so that only the record can stop a second investigation.
	if _, err := s.temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace: s.ns, WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: investigation}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 15*time.Second, "the closed investigation's execution to be deleted", func() bool {
		_, err := s.temporal.DescribeWorkflowExecution(ctx, investigation, "")
		return errors.As(err, new(*serviceerror.NotFound))
	})
	if _, _, n := review(0); n != 0 {
		t.Fatalf("a second review of the month opened %d investigations, want none", n)
	}

	// The same month in sums, per week and per month, as the API gives them.
	var weeks []attendance.Sum
	if r := s.as("rektor-a").do("GET", "/api/v1/persons/"+pupil+"/attendance?from=2026-10-01&to=2026-10-31&per=week", nil, &weeks); r.StatusCode != 200 {
		t.Fatalf("weekly sums: %d", r.StatusCode)
	}
	if len(weeks) != 5 || weeks[0].From != "2026-10-01" || weeks[0].To != "2026-10-04" || weeks[1].From != "2026-10-05" ||
		weeks[1].ScheduledMinutes != 240 || weeks[1].InvalidAbsenceMinutes != 120 || weeks[1].AttendedMinutes != 120 || weeks[2].ScheduledMinutes != 0 {
		t.Fatalf("weekly sums %+v", weeks)
	}
	months := get[[]attendance.Sum](s.as("rektor-a"), "/api/v1/persons/"+pupil+"/attendance?from=2026-09-15&to=2026-10-31&per=month")
	if len(months) != 2 || months[0].From != "2026-09-15" || months[0].ScheduledMinutes != 0 || months[1].InvalidAbsenceMinutes != 120 {
		t.Fatalf("monthly sums %+v", months)
	}
	var p api.Problem
	if r := s.as("rektor-a").do("GET", "/api/v1/persons/"+pupil+"/attendance?from=2026-10-01&to=2026-10-31&per=day", nil, &p); r.StatusCode != 422 || p.Errors[0].Field != "per" {
		t.Fatalf("per=day: %d %+v", r.StatusCode, p)
	}
}

// The worker keeps the daily review's schedule: created at the configured time of day in the
// schools' time zone, and brought in line when a worker starts with another time.
func TestTheDailyReviewIsScheduled(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	cfg := config.Config{TaskQueue: s.queue, DeliveryDeadline: time.Minute}
	absence.ReviewAt.Set(&cfg, 18*time.Hour)
	absence.InvestigationShare.Set(&cfg, 10)
	absence.InvestigationRepeats.Set(&cfg, 3)
	absence.InvestigationDue.Set(&cfg, time.Hour)
	if err := app.EnsureSchedules(ctx, s.temporal, cfg); err != nil {
		t.Fatal(err)
	}
	absence.ReviewAt.Set(&cfg, 17*time.Hour+30*time.Minute)
	if err := app.EnsureSchedules(ctx, s.temporal, cfg); err != nil {
		t.Fatalf("a second worker start: %v", err)
	}
	handle := s.temporal.ScheduleClient().GetHandle(ctx, absence.AbsenceReviewScheduleID(s.queue))
	t.Cleanup(func() { _ = handle.Delete(context.Background()) })
	d, err := handle.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spec := d.Schedule.Spec
	action, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction)
	if len(spec.Calendars) != 1 || spec.Calendars[0].Hour[0].Start != 17 || spec.Calendars[0].Minute[0].Start != 30 ||
		spec.TimeZoneName != "Europe/Stockholm" || !ok || action.Workflow != "AbsenceReview" || action.TaskQueue != s.queue {
		t.Fatalf("schedule %+v, action %+v", spec, d.Schedule.Action)
	}
}
