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
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// The task inbox. A task's state belongs to its process; completing or reassigning one is a
// Temporal Update whose validator answers at once, and the HTTP answer is the workflow's. The
// inbox's rows are read from the kernel store (store.Inbox, store.Task).

type taskHandlers struct{ Deps }

// list answers the signed-in person's tasks: assigned to them, or to a role they hold today in
// the task's school unit. Filters: state (default open), school, kind, dueBefore.
func (h taskHandlers) list(c *gin.Context) {
	const op = "tasks.list"
	var bad Fields
	state := c.DefaultQuery("state", "open") // one of the document's three
	school := c.Query("school")
	if school != "" && !ValidUUID(school) {
		bad.Add("school", "must be a UUID")
	}
	kind := c.Query("kind")
	var dueBefore *time.Time
	if s := c.Query("dueBefore"); s != "" {
		t, _ := time.Parse(time.RFC3339, s) // a date-time, as the document states
		bad.Moment("dueBefore", t)
		dueBefore = &t
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	out, err := store.Inbox(c, h.DB, ViewerOf(c).PersonID, store.InboxFilter{State: state, School: school, Kind: kind, DueBefore: dueBefore})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
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
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	task, err := store.Task(c, h.DB, c.Param("taskId"))
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	// The workflow's validator decides; naming unknown fields is the one check done here, since
	// the workflow counts them without naming them.
	for _, name := range slices.Sorted(maps.Keys(in.Payload)) {
		i := slices.IndexFunc(task.Expects, func(f workflows.Field) bool { return f.Name == name })
		switch {
		case i < 0:
			bad.Add("payload/"+name, "is not a field of this step")
		case task.Expects[i].Type == "record":
			bad.Add("payload/"+name, "is recorded by the task's own page, not given here")
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
	task, err := store.Task(c, h.DB, c.Param("taskId"))
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
		staff, err := register.HoldsDuty(c, h.DB, to.PersonID, deref(task.SchoolID), task.HeldBy)
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

// update sends a task Update to the process and waits for the workflow's answer (Update).
func (h taskHandlers) update(c *gin.Context, processID, name string, arg, result any) error {
	return Update(c, h.Temporal, processID, name, arg, result)
}

// notReassignable says why a task cannot be given to anyone else.
const notReassignable = "This task is its assignee's alone: a custodial guardian's consent, answer or acceptance is never given to anyone else."

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
