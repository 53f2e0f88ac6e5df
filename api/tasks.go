package api

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// The task inbox. A task's state belongs to its process; completing or reassigning one is a
// Temporal Update whose validator answers at once, and the HTTP answer is the workflow's.

type taskHandlers struct{ Deps }

// TaskView is a task in a person's inbox.
type TaskView struct {
	ID            string             `json:"id"`
	ProcessID     string             `json:"processId"`
	Kind          string             `json:"kind"`
	State         string             `json:"state"`
	Assignee      workflows.Assignee `json:"assignee"`
	SchoolID      *string            `json:"schoolId"`
	SubjectPerson *string            `json:"subjectPerson"`
	SubjectGroup  *string            `json:"subjectGroup"`
	DueAt         *time.Time         `json:"dueAt"`
	Expects       []workflows.Field  `json:"expects"`
	HeldBy        []string           `json:"heldBy"` // the roles it may be given to; empty: its assignee's alone
	CreatedAt     time.Time          `json:"createdAt"`
	CompletedAt   *time.Time         `json:"completedAt"`
	CompletedBy   *string            `json:"completedBy"`
}

var taskStates = []string{"open", "completed", "cancelled"}

// taskSQL selects a TaskView's columns from tasks t.
const taskSQL = `SELECT t.id::text, t.process_id, t.kind, t.state,
	  json_build_object('personId', coalesce(t.assignee_id::text, ''), 'role', coalesce(t.assignee_role, ''),
	                    'orgId', coalesce(t.assignee_org::text, '')),
	  t.school_id::text, t.subject_person::text, t.subject_group::text, t.due_at, t.expects, t.held_by,
	  t.created_at, t.completed_at, t.completed_by::text
	FROM tasks t`

// list answers the signed-in person's tasks: assigned to them, or to a role they hold today in
// the task's school unit. Filters: state (default open), school, kind, dueBefore.
func (h taskHandlers) list(c *gin.Context) {
	const op = "tasks.list"
	var bad Fields
	state := c.DefaultQuery("state", "open")
	if !slices.Contains(taskStates, state) {
		bad.Add("state", "must be open, completed or cancelled")
	}
	school := c.Query("school")
	if school != "" && !ValidUUID(school) {
		bad.Add("school", "must be a UUID")
	}
	kind := c.Query("kind")
	var dueBefore *time.Time
	if s := c.Query("dueBefore"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			bad.Add("dueBefore", "must be a time as 2026-11-30T16:00:00+01:00")
		}
		bad.Moment("dueBefore", t)
		dueBefore = &t
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	rows, err := h.DB.Query(c, taskSQL+`
		WHERE (t.assignee_id = $1 OR EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $1
		         AND d.duty_role = t.assignee_role AND d.duty_at = t.assignee_org AND `+register.Active("d")+`))
		  AND t.state = $2
		  AND ($3::uuid IS NULL OR t.school_id = $3::uuid)
		  AND ($4 = '' OR t.kind = $4)
		  AND ($5::timestamptz IS NULL OR t.due_at < $5)
		ORDER BY t.due_at NULLS LAST, t.created_at
		LIMIT 500`, ViewerOf(c).PersonID, state, nullable(school), kind, dueBefore)
	respondRows[TaskView](c, op, rows, err)
}

// TaskCompletionRequest completes a task with the payload its step expects.
type TaskCompletionRequest struct {
	Payload map[string]any `json:"payload"`
}

func (h taskHandlers) complete(c *gin.Context) {
	const op = "tasks.complete"
	var in TaskCompletionRequest
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	if in.Payload == nil {
		bad.Add("payload", "is required: an object with the fields the step expects")
	}
	for _, name := range slices.Sorted(maps.Keys(in.Payload)) {
		if v, ok := in.Payload[name].(string); ok {
			bad.Text("payload/"+name, v, maxPayloadText)
		}
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	task, err := h.task(c, c.Param("taskId"))
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	// The workflow's validator decides; naming unknown fields is the one check done here, since
	// the workflow counts them without naming them.
	for _, name := range slices.Sorted(maps.Keys(in.Payload)) {
		if !slices.ContainsFunc(task.Expects, func(f workflows.Field) bool { return f.Name == name }) {
			bad.Add("payload/"+name, "is not a field of this step")
		}
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	var out workflows.TaskOutcome
	err = h.update(c, task.ProcessID, workflows.UpdateCompleteTask,
		workflows.TaskCompletion{TaskID: task.ID, By: ViewerOf(c).PersonID, Payload: in.Payload}, &out)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// TaskReassignmentRequest gives a task to another assignee in the same school.
type TaskReassignmentRequest struct {
	Assignee workflows.Assignee `json:"assignee"`
}

// reassign lets a principal give a task of their school to a member of its staff who could hold
// that kind of task, or to such a role there. A task that is its assignee's alone (a custodial
// guardian's consent, answer or acceptance) is given to no one: 403.
func (h taskHandlers) reassign(c *gin.Context) {
	const op = "tasks.reassign"
	var in TaskReassignmentRequest
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	task, err := h.task(c, c.Param("taskId"))
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if len(task.HeldBy) == 0 {
		Abort(c, errs.E(op, errs.Forbidden, errs.Msg(notReassignable)))
		return
	}
	to := in.Assignee
	switch {
	case to.PersonID != "" && (to.Role != "" || to.OrgID != ""):
		bad.Add("assignee", "is a person or a role in a school, not both")
	case to.PersonID != "" && !ValidUUID(to.PersonID):
		bad.Add("assignee/personId", "must be a UUID")
	case to.PersonID != "":
		var staff bool
		err := h.DB.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM duties d WHERE d.person_id::text = $1 AND d.duty_at::text = $2
			AND d.duty_role = ANY($3) AND `+register.Active("d")+`)`, to.PersonID, deref(task.SchoolID), task.HeldBy).Scan(&staff)
		if err != nil {
			Abort(c, errs.E(op, err))
			return
		}
		if !staff {
			bad.Add("assignee/personId", "is not on the task's school's staff in a role that may hold it ("+strings.Join(task.HeldBy, ", ")+")")
		}
	case to.Role != "":
		if !slices.Contains(task.HeldBy, to.Role) {
			bad.Add("assignee/role", "cannot hold this kind of task; it takes one of "+strings.Join(task.HeldBy, ", "))
		}
		if to.OrgID != deref(task.SchoolID) {
			bad.Add("assignee/orgId", "must be the task's school")
		}
	default:
		bad.Add("assignee", "is required: a personId, or a role and orgId")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	var out workflows.Task
	if err := h.update(c, task.ProcessID, workflows.UpdateReassignTask,
		workflows.TaskReassignment{TaskID: task.ID, By: ViewerOf(c).PersonID, To: to}, &out); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"taskId": task.ID, "assignee": out.Assignee})
}

// task loads one task's row.
func (h taskHandlers) task(c *gin.Context, id string) (TaskView, error) {
	rows, err := h.DB.Query(c, taskSQL+` WHERE t.id = $1`, id)
	return one[TaskView](rows, err)
}

// update sends a task Update to the process and waits for the workflow's answer (Update).
func (h taskHandlers) update(c *gin.Context, processID, name string, arg, result any) error {
	return Update(c, h.Temporal, processID, name, arg, result)
}

// notReassignable says why a task cannot be given to anyone else.
const notReassignable = "This task is its assignee's alone: a custodial guardian's consent, answer or acceptance is never given to anyone else."

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
