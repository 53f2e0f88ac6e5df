package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// The task inbox (tasks): a projection of the processes' human tasks, which the processes'
// activities write (activities/tasks.go). The task's state belongs to its process.

// TaskView is a task in a person's inbox.
type TaskView struct {
	ID            string             `json:"id" db:"id"`
	ProcessID     string             `json:"processId" db:"process_id"`
	Kind          string             `json:"kind" db:"kind"`
	State         string             `json:"state" db:"state"`
	Assignee      workflows.Assignee `json:"assignee" db:"assignee"`
	SchoolID      *string            `json:"schoolId" db:"school_id"`
	SubjectPerson *string            `json:"subjectPerson" db:"subject_person"`
	SubjectGroup  *string            `json:"subjectGroup" db:"subject_group"`
	DueAt         *time.Time         `json:"dueAt" db:"due_at"`
	Expects       []workflows.Field  `json:"expects" db:"expects"`
	HeldBy        []string           `json:"heldBy" db:"held_by"` // the roles it may be given to; empty: its assignee's alone
	CreatedAt     time.Time          `json:"createdAt" db:"created_at"`
	CompletedAt   *time.Time         `json:"completedAt" db:"completed_at"`
	CompletedBy   *string            `json:"completedBy" db:"completed_by"`
}

// taskSelect selects a TaskView's columns from tasks t.
const taskSelect = `SELECT t.id::text AS id, t.process_id, t.kind, t.state,
	  json_build_object('personId', coalesce(t.assignee_id::text, ''), 'role', coalesce(t.assignee_role, ''),
	                    'orgId', coalesce(t.assignee_org::text, '')) AS assignee,
	  t.school_id::text AS school_id, t.subject_person::text AS subject_person, t.subject_group::text AS subject_group,
	  t.due_at, t.expects, t.held_by, t.created_at, t.completed_at, t.completed_by::text AS completed_by
	FROM tasks t`

// InboxFilter narrows an inbox; a zero member does not narrow it.
type InboxFilter struct {
	State     string     // open, completed or cancelled; required
	School    string     // the task's school unit
	Kind      string     // the task's kind
	DueBefore *time.Time // due before this moment
}

// Inbox answers at most 500 of the person's tasks that f lets through: those assigned to them,
// or to a role they hold today in the task's school unit; the soonest due first, then the
// oldest, and those without a deadline last.
func Inbox(ctx context.Context, db *pgxpool.Pool, person string, f InboxFilter) ([]TaskView, error) {
	var school *string
	if f.School != "" {
		school = &f.School
	}
	return collect.All[TaskView](ctx, db, taskSelect+`
		WHERE (t.assignee_id = $1 OR EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $1
		         AND d.duty_role = t.assignee_role AND d.duty_at = t.assignee_org AND `+register.Active("d")+`))
		  AND t.state = $2
		  AND ($3::uuid IS NULL OR t.school_id = $3::uuid)
		  AND ($4 = '' OR t.kind = $4)
		  AND ($5::timestamptz IS NULL OR t.due_at < $5)
		ORDER BY t.due_at NULLS LAST, t.created_at
		LIMIT 500`, person, f.State, school, f.Kind, f.DueBefore)
}

// Task answers one task; errs.NotFound when there is none.
func Task(ctx context.Context, db *pgxpool.Pool, id string) (TaskView, error) {
	return collect.One[TaskView](ctx, db, taskSelect+` WHERE t.id = $1`, id)
}

// ProcessStep is a human step of a process as an export proves it: when it was opened, the
// deadline it was given then, whether it passed to someone else at that deadline, and when it
// was closed, in time or not. It names no one: who acted is in the process's history, as its
// reader may see it.
type ProcessStep struct {
	Kind      string     `json:"kind" db:"kind"`
	State     string     `json:"state" db:"state"` // open, completed or cancelled (withdrawn, or no longer needed)
	OpenedAt  time.Time  `json:"openedAt" db:"created_at"`
	DueAt     *time.Time `json:"dueAt" db:"first_due_at"`  // the deadline the step was opened with
	Escalated bool       `json:"escalated" db:"escalated"` // it passed to another at its deadline
	DoneAt    *time.Time `json:"doneAt" db:"completed_at"`
	InTime    *bool      `json:"inTime" db:"in_time"` // null without a deadline, or while open and not yet due
}

// ProcessSteps answers a process's human steps, the first opened first. A step's deadline is the
// one it was opened with: an escalation gives the step a later one, but the step was late.
func ProcessSteps(ctx context.Context, db *pgxpool.Pool, process string) ([]ProcessStep, error) {
	return collect.All[ProcessStep](ctx, db, `SELECT t.kind, t.state, t.created_at, s.first_due_at, s.escalated, t.completed_at,
		  CASE WHEN s.first_due_at IS NULL THEN NULL
		       WHEN t.completed_at IS NOT NULL THEN t.completed_at <= s.first_due_at
		       WHEN now() > s.first_due_at THEN false END AS in_time
		FROM tasks t, LATERAL (SELECT
		    coalesce((SELECT (e.detail->>'dueAt')::timestamptz FROM process_events e
		      WHERE e.process_id = t.process_id AND e.event_key = 'task:' || t.id || ':assigned'), t.due_at) AS first_due_at,
		    EXISTS (SELECT 1 FROM process_events e WHERE e.process_id = t.process_id AND e.task_id = t.id AND e.kind = 'escalated') AS escalated) s
		WHERE t.process_id = $1 ORDER BY t.created_at, t.kind`, process)
}

// Describe says how the step went, in words.
func (s ProcessStep) Describe() string {
	text := "opened " + s.OpenedAt.UTC().Format(time.RFC3339)
	if s.DueAt != nil {
		text += ", due " + s.DueAt.UTC().Format(time.RFC3339)
	}
	if s.Escalated {
		text += ", passed on at its deadline"
	}
	switch {
	case s.State == "cancelled":
		text += ": withdrawn"
	case s.DoneAt == nil && s.InTime != nil:
		text += ": open, past its deadline"
	case s.DoneAt == nil:
		text += ": open"
	default:
		text += ": done " + s.DoneAt.UTC().Format(time.RFC3339)
		if s.InTime != nil && *s.InTime {
			text += ", in time"
		} else if s.InTime != nil {
			text += ", after its deadline"
		}
	}
	return text
}
