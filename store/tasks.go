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
