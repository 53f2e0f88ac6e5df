package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Human tasks: the steps of a process that a person completes. A process opens a task through an
// activity (which puts it in the assignee's inbox), then waits for it. A person completes it with
// the Update UpdateCompleteTask; its validator answers at once, before anything reaches history:
// a task that is not open is a conflict, a payload that does not fit the step is invalid. When two
// people complete the same task at once, the first accepted wins and the second is a conflict.
//
// A task may have a deadline: a reminder RemindBefore its due time, and at the due time an
// escalation to the next responsible person, each recorded in the process history.

const (
	// UpdateCompleteTask completes an open task of the process with a TaskCompletion.
	UpdateCompleteTask = "task.complete"
	// UpdateReassignTask gives an open task to another assignee (TaskReassignment).
	UpdateReassignTask = "task.reassign"

	// Error types of the validators' rejections; the API maps them to 409, 422 and 403.
	ErrTaskConflict  = "TaskConflict"
	ErrTaskInvalid   = "TaskInvalid"
	ErrTaskForbidden = "TaskForbidden"
)

// Activities of the task machinery (see activities/tasks.go).
var (
	CreateTaskActivity   = DeclareActivity[Task, None]("CreateTask")
	CompleteTaskActivity = DeclareActivity[CompletedTask, None]("CompleteTask")
	ReassignTaskActivity = DeclareActivity[TaskEvent, None]("ReassignTask")
	RemindTaskActivity   = DeclareActivity[TaskEvent, None]("RemindTask")
	CancelTaskActivity   = DeclareActivity[TaskEvent, None]("CancelTask")
	// RoleHoldersActivity answers who holds a role assignee's duty role in its school unit today.
	RoleHoldersActivity = DeclareActivity[Assignee, []string]("RoleHolders")
)

// CompletedTask is a task and how it was completed, as CompleteTaskActivity records it.
type CompletedTask struct {
	Task    Task
	Outcome TaskOutcome
}

// Assignee is who must act: a person, or whoever holds a duty role in a school unit.
type Assignee struct {
	PersonID string `json:"personId,omitempty"`
	Role     string `json:"role,omitempty"`
	OrgID    string `json:"orgId,omitempty"`
}

// Field is one payload field a task expects. A required text must hold more than spaces. A
// "record" is what an area's own route recorded before it completes the task (a teacher's
// grades for a group, say): only that route gives it, and the tasks' general completion refuses
// it, so a task with a required record is completed on its own page and nowhere else.
type Field struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`              // "choice", "boolean", "text" or "record"
	Choices  []string `json:"choices,omitempty"` // for "choice"
	Required bool     `json:"required,omitempty"`
	// RequiredWhen makes the field required when another field of the payload has a value: the
	// reasons of a denial, say, which the law asks of a refusal and not of a grant.
	RequiredWhen *FieldValue `json:"requiredWhen,omitempty"`
}

// FieldValue is a payload field's value.
type FieldValue struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// required tells whether the field must be given in payload.
func (f Field) required(payload map[string]any) bool {
	if f.Required {
		return true
	}
	return f.RequiredWhen != nil && payload[f.RequiredWhen.Field] == f.RequiredWhen.Value
}

// TaskSpec describes a task a process opens.
type TaskSpec struct {
	Step          string        // unique within the process; the task's id derives from it
	Kind          string        // what is to be done, e.g. "absence.classify"
	Assignee      Assignee      // who must act
	SchoolID      string        // the school the task belongs to
	SubjectPerson string        // the pupil it is about, if any
	SubjectGroup  string        // the group it is about, if any
	Expects       []Field       // the payload completion takes
	Due           time.Duration // from opening; 0: no deadline
	RemindBefore  time.Duration // remind the assignee this long before it is due; 0: no reminder
	EscalateTo    []Assignee    // at each due time, hand the task to the next; the deadline restarts
	// HeldBy is who may hold the task: the duty roles whose holders in the task's school may be
	// given it by a reassignment. None: the task is its assignee's alone and is never given to
	// anyone else; a custodial guardian's consent, answer or acceptance is a custody decision
	// (skollagen 7 kap. 18 §, joint custody) that no one takes in the guardian's place.
	HeldBy []string
	// DeliveryDeadline bounds how long a notification to a person assignee is retried on their
	// email or SMS (0: until it goes). The in-app inbox always has it at once.
	DeliveryDeadline time.Duration
}

// Task is an opened task, as the activities store it.
type Task struct {
	ID        string
	ProcessID string
	Spec      TaskSpec
	Assignee  Assignee
	DueAt     time.Time // zero: no deadline
}

// TaskCompletion is a person's completion of a task.
type TaskCompletion struct {
	TaskID  string         `json:"taskId"`
	By      string         `json:"by"` // the person completing it
	Payload map[string]any `json:"payload"`
}

// TaskOutcome is a completed task: the workflow's answer to the completing person.
type TaskOutcome struct {
	TaskID    string         `json:"taskId"`
	By        string         `json:"by"`
	Payload   map[string]any `json:"payload"`
	Completed time.Time      `json:"completed"`
}

// TaskReassignment hands a task to another assignee.
type TaskReassignment struct {
	TaskID string   `json:"taskId"`
	By     string   `json:"by"`
	To     Assignee `json:"to"`
}

// TaskEvent is what the reminder, escalation and cancellation activities record.
type TaskEvent struct {
	Task Task
	At   time.Time
	By   string // the person who acted, if one did
	Seq  int    // the task's assignment number: keys the record, so a retry writes it once
}

// taskNamespace derives task ids from (process run, step), so a retried create finds its task.
var taskNamespace = uuid.MustParse("2f4a7c1e-8d3b-4e6f-9a15-3c7b2e9d0f48")

// TaskID is the id of a process's task for step. runID is the first run ID of the process (of
// its parent, for a child process whose tasks NewTasksOfRun keys): a new process under a reused
// business key gets new tasks, and a task id cannot be guessed from the business key alone.
func TaskID(processID, runID, step string) string {
	return uuid.NewSHA1(taskNamespace, []byte(processID+"\x00"+runID+"\x00"+step)).String()
}

// Tasks is a process's set of human tasks.
type Tasks struct {
	run     string // the run the tasks' ids derive from (TaskID); "" for the process's own first run
	tasks   map[string]*openTask
	assign  workflow.Mutex // one change of assignee at a time: a reassignment or an escalation
	sending Beside         // notifications still being delivered
	Reports []NotifyReport // what reached the assignees; a process may act on failures
}

type openTask struct {
	task        Task
	outcome     *TaskOutcome
	closed      bool // completed or cancelled
	assignments int  // how many times the task has been assigned; keys each assignment's records
}

// NewTasks registers the task Updates on the workflow. Call it once, first thing.
func NewTasks(ctx workflow.Context) (*Tasks, error) {
	t := &Tasks{tasks: map[string]*openTask{}, assign: workflow.NewMutex(ctx)}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateCompleteTask, t.complete,
		workflow.UpdateHandlerOptions{Validator: t.validateCompletion}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateReassignTask, t.reassign,
		workflow.UpdateHandlerOptions{Validator: t.validateReassignment}); err != nil {
		return nil, err
	}
	return t, nil
}

// NewTasksOfRun is NewTasks for a process whose tasks' ids derive from run rather than from its
// own first run: a child process gives its tasks ids from its parent's first run, which the
// parent's record holds, so that a route finds a child's task from that record and the child's
// business key alone.
func NewTasksOfRun(ctx workflow.Context, run string) (*Tasks, error) {
	t, err := NewTasks(ctx)
	if err != nil {
		return nil, err
	}
	t.run = run
	return t, nil
}

func (t *Tasks) validateCompletion(ctx workflow.Context, c TaskCompletion) error {
	ot, err := t.openOne(c.TaskID)
	if err != nil {
		return err
	}
	// A task assigned to a person is theirs alone: once it has moved on (escalated, reassigned),
	// the previous assignee's completion is a conflict, whatever the inbox still shows.
	if p := ot.task.Assignee.PersonID; p != "" && p != c.By {
		return temporal.NewApplicationError("the task has moved on to another assignee", ErrTaskConflict)
	}
	if problems := checkPayload(ot.task.Spec.Expects, c.Payload); len(problems) > 0 {
		return temporal.NewApplicationError("the payload does not fit this step", ErrTaskInvalid, problems)
	}
	return nil
}

// validateReassignment refuses what the process itself knows to be wrong: a task that is its
// assignee's alone (forbidden), a role that may not hold it, or a school other than the task's.
// That a person holds one of the roles is the register's to say; the API checks it before.
func (t *Tasks) validateReassignment(ctx workflow.Context, r TaskReassignment) error {
	ot, err := t.openOne(r.TaskID)
	if err != nil {
		return err
	}
	spec := ot.task.Spec
	invalid := func(field, detail string) error {
		return temporal.NewApplicationError("the new assignee may not hold this task", ErrTaskInvalid,
			[]FieldProblem{{Field: field, Detail: detail}})
	}
	switch {
	case len(spec.HeldBy) == 0:
		return temporal.NewApplicationError("the task is its assignee's alone", ErrTaskForbidden)
	case r.To.PersonID == "" && (r.To.Role == "" || r.To.OrgID == ""):
		return invalid("assignee", "is required")
	case r.To.Role != "" && !slices.Contains(spec.HeldBy, r.To.Role):
		return invalid("assignee/role", "cannot hold this kind of task; it takes one of "+strings.Join(spec.HeldBy, ", "))
	case r.To.Role != "" && r.To.OrgID != spec.SchoolID:
		return invalid("assignee/orgId", "must be the task's school")
	}
	return nil
}

func (t *Tasks) openOne(id string) (*openTask, error) {
	ot, ok := t.tasks[id]
	if !ok || ot.closed {
		return nil, temporal.NewApplicationError("the task is not open in this process", ErrTaskConflict)
	}
	return ot, nil
}

// complete runs after the validator accepted. It closes the task at once, so a second
// completion of the same task, validated after this one, is a conflict, and answers the person
// within the same workflow task. Await records the completion (inbox row and history) before
// the process acts on it.
func (t *Tasks) complete(ctx workflow.Context, c TaskCompletion) (TaskOutcome, error) {
	ot := t.tasks[c.TaskID]
	ot.closed = true
	out := TaskOutcome{TaskID: c.TaskID, By: c.By, Payload: c.Payload, Completed: workflow.Now(ctx)}
	ot.outcome = &out
	return out, nil
}

// reassign hands the task to r.To. The change is applied only once it is recorded, under the
// same lock as an escalation, and not at all if the task closed meanwhile.
func (t *Tasks) reassign(ctx workflow.Context, r TaskReassignment) (Task, error) {
	ot := t.tasks[r.TaskID]
	if err := t.assign.Lock(ctx); err != nil {
		return Task{}, err
	}
	defer t.assign.Unlock()
	if ot.closed {
		return Task{}, temporal.NewApplicationError("the task is not open in this process", ErrTaskConflict)
	}
	next := ot.task
	next.Assignee = r.To
	if err := t.recordAssignment(ctx, ot, next, r.By); err != nil {
		return Task{}, err
	}
	return ot.task, nil
}

// recordAssignment records next as the task's state (an escalation when by is empty) and, once
// recorded, makes it so and tells a person assignee.
func (t *Tasks) recordAssignment(ctx workflow.Context, ot *openTask, next Task, by string) error {
	ev := TaskEvent{Task: next, At: workflow.Now(ctx), By: by, Seq: ot.assignments + 1}
	if _, err := ReassignTaskActivity.Local(ctx, ev); err != nil {
		return err
	}
	ot.task = next
	ot.assignments++
	if !ot.closed {
		t.notifyAssignee(ctx, ot, "task.assigned")
	}
	return nil
}

// Open puts a task in its assignee's inbox.
func (t *Tasks) Open(ctx workflow.Context, spec TaskSpec) (string, error) {
	info := workflow.GetInfo(ctx)
	run := info.FirstRunID
	if t.run != "" {
		run = t.run
	}
	task := Task{ID: TaskID(info.WorkflowExecution.ID, run, spec.Step), ProcessID: info.WorkflowExecution.ID,
		Spec: spec, Assignee: spec.Assignee}
	if spec.Due > 0 {
		task.DueAt = workflow.Now(ctx).Add(spec.Due)
	}
	// Known before the inbox shows it, so a completion racing the create is not refused.
	ot := &openTask{task: task, assignments: 1}
	t.tasks[task.ID] = ot
	if _, err := CreateTaskActivity.Local(ctx, task); err != nil {
		return "", err
	}
	t.notifyAssignee(ctx, ot, "task.assigned")
	return task.ID, nil
}

// notifyAssignee tells the assignee about the task, without holding up the process: the delivery
// runs beside it, and Settled waits for it before the process ends. A role's holders today are
// each told, as a person assignee is (the principal learns of a reported incident at once, not
// when they next open their inbox); histories recorded before they were find role tasks in
// their inbox alone.
func (t *Tasks) notifyAssignee(ctx workflow.Context, ot *openTask, purpose string) {
	params := map[string]string{"kind": ot.task.Spec.Kind}
	if ot.task.Spec.SubjectPerson != "" {
		// The message names no pupil, but what may go by email and SMS depends on who it is about.
		params["pupil"] = ot.task.Spec.SubjectPerson
	}
	if !ot.task.DueAt.IsZero() {
		params["dueAt"] = ot.task.DueAt.Format(time.RFC3339)
	}
	if ot.task.Spec.SchoolID != "" {
		params["school"] = ot.task.Spec.SchoolID // a message may name the school (schoolName)
	}
	req := NotifyRequest{
		ProcessID: ot.task.ProcessID,
		Purpose:   purpose,
		// Each assignment and each reminder is news; a retry is not.
		Occasion: fmt.Sprintf("%s#%d", ot.task.ID, ot.assignments),
		Params:   params,
	}
	send := func(ctx workflow.Context, recipient string) {
		req := req
		req.Recipient = recipient
		report, err := Notify(ctx, req, ot.task.Spec.DeliveryDeadline)
		if err == nil {
			t.Reports = append(t.Reports, report)
		}
	}
	if p := ot.task.Assignee.PersonID; p != "" {
		t.sending.Go(ctx, func(ctx workflow.Context) { send(ctx, p) })
		return
	}
	if workflow.GetVersion(ctx, "notify-role-holders", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	role := ot.task.Assignee
	t.sending.Go(ctx, func(ctx workflow.Context) {
		holders, err := RoleHoldersActivity.Local(ctx, role)
		if err != nil {
			return // the task is in the role's inbox all the same
		}
		for _, h := range holders {
			t.sending.Go(ctx, func(ctx workflow.Context) { send(ctx, h) })
		}
	})
}

// Settled reports whether every notification the tasks sent has been delivered or given up on.
// A process waits for it (Finish) before it ends.
func (t *Tasks) Settled() bool { return t.sending.Idle() }

// Await waits until the task is completed, reminding and escalating as its spec says. After
// every step that blocks it looks again: a completion may have come in meanwhile, and then the
// completion stands and the reminder or escalation is not made.
func (t *Tasks) Await(ctx workflow.Context, id string) (TaskOutcome, error) {
	ot := t.tasks[id]
	done := func() bool { return ot.closed }
	spec := ot.task.Spec
	if spec.Due > 0 {
		if spec.RemindBefore > 0 && spec.RemindBefore < spec.Due {
			if ok, err := AwaitUntil(ctx, ot.task.DueAt.Add(-spec.RemindBefore), done); ok || err != nil {
				return t.result(ctx, ot, err)
			}
			if err := t.record(ctx, RemindTaskActivity, ot); err != nil {
				return TaskOutcome{}, err
			}
			if !ot.closed {
				t.notifyAssignee(ctx, ot, "task.reminder")
			}
		}
		for _, to := range spec.EscalateTo {
			if ok, err := AwaitUntil(ctx, ot.task.DueAt, done); ok || err != nil {
				return t.result(ctx, ot, err)
			}
			if err := t.escalate(ctx, ot, to); err != nil {
				return TaskOutcome{}, err
			}
		}
	}
	err := workflow.Await(ctx, done)
	return t.result(ctx, ot, err)
}

// AwaitOrWithdraw waits for the task until it is done, until within has passed (0: no limit), or
// until withdraw holds (nil: never), whichever comes first. A task not done by then is
// withdrawn (cancelled), and a completion that raced the withdrawal is refused. It answers the
// outcome and whether the task was done.
func (t *Tasks) AwaitOrWithdraw(ctx workflow.Context, id string, within time.Duration, withdraw func() bool) (TaskOutcome, bool, error) {
	var out TaskOutcome
	var awaitErr error
	done := false
	workflow.Go(ctx, func(ctx workflow.Context) {
		out, awaitErr = t.Await(ctx, id)
		done = true
	})
	stop := func() bool { return done || (withdraw != nil && withdraw()) }
	var err error
	if within > 0 {
		_, err = AwaitWithTimeout(ctx, within, stop)
	} else {
		err = workflow.Await(ctx, stop)
	}
	if err != nil {
		return TaskOutcome{}, false, err
	}
	if !done {
		if err := t.Cancel(ctx, id); err != nil {
			return TaskOutcome{}, false, err
		}
		if err := workflow.Await(ctx, func() bool { return done }); err != nil {
			return TaskOutcome{}, false, err
		}
	}
	return out, awaitErr == nil, nil
}

// escalate hands the task to the next responsible person with a fresh deadline, unless it
// closed or was handed on by a person while the deadline fired.
func (t *Tasks) escalate(ctx workflow.Context, ot *openTask, to Assignee) error {
	due := ot.task.DueAt
	if err := t.assign.Lock(ctx); err != nil {
		return err
	}
	defer t.assign.Unlock()
	if ot.closed || ot.task.DueAt != due {
		return nil
	}
	next := ot.task
	next.Assignee = to
	next.DueAt = due.Add(ot.task.Spec.Due)
	return t.recordAssignment(ctx, ot, next, "")
}

// Cancel closes an open task that the process no longer needs; a later completion is a conflict.
func (t *Tasks) Cancel(ctx workflow.Context, id string) error {
	ot := t.tasks[id]
	if ot.closed {
		return nil
	}
	ot.closed = true
	return t.record(ctx, CancelTaskActivity, ot)
}

func (t *Tasks) record(ctx workflow.Context, activity Activity[TaskEvent, None], ot *openTask) error {
	ev := TaskEvent{Task: ot.task, At: workflow.Now(ctx), Seq: ot.assignments}
	_, err := activity.Local(ctx, ev)
	return err
}

// ErrTaskCancelled is the error Await returns for a task the process cancelled.
const ErrTaskCancelled = "TaskCancelled"

// result records the completion, then hands it to the process.
func (t *Tasks) result(ctx workflow.Context, ot *openTask, err error) (TaskOutcome, error) {
	if err != nil {
		return TaskOutcome{}, err
	}
	if ot.outcome == nil {
		return TaskOutcome{}, temporal.NewApplicationError("the task was cancelled", ErrTaskCancelled)
	}
	if _, err := CompleteTaskActivity.Local(ctx, CompletedTask{Task: ot.task, Outcome: *ot.outcome}); err != nil {
		return TaskOutcome{}, err
	}
	return *ot.outcome, nil
}

// FieldProblem names a wrong payload field; the API reports these as problem+json errors.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// checkPayload checks a payload against the fields a step expects: unknown fields, missing
// required ones, wrong types and choices outside the list are each a problem.
func checkPayload(expects []Field, payload map[string]any) []FieldProblem {
	var problems []FieldProblem
	known := 0
	for _, f := range expects {
		v, present := payload[f.Name]
		if present {
			known++
		}
		text, isText := v.(string)
		if !present || v == nil || isText && (f.Type == "text" || f.Type == "record") && strings.TrimSpace(text) == "" {
			switch {
			case f.Required:
				problems = append(problems, FieldProblem{f.Name, "is required"})
			case f.required(payload):
				problems = append(problems, FieldProblem{f.Name, fmt.Sprintf("is required when %s is %s", f.RequiredWhen.Field, f.RequiredWhen.Value)})
			}
			continue
		}
		switch f.Type {
		case "boolean":
			if _, ok := v.(bool); !ok {
				problems = append(problems, FieldProblem{f.Name, "must be true or false"})
			}
		case "text", "record":
			if _, ok := v.(string); !ok {
				problems = append(problems, FieldProblem{f.Name, "must be a string"})
			}
		case "choice":
			s, ok := v.(string)
			if !ok || !slices.Contains(f.Choices, s) {
				problems = append(problems, FieldProblem{f.Name, fmt.Sprintf("must be one of %v", f.Choices)})
			}
		}
	}
	// Unknown fields are counted, not named: ranging over the map would not be deterministic.
	// The API names them before it sends the Update.
	if len(payload) > known {
		problems = append(problems, FieldProblem{"payload", "has fields this step does not take"})
	}
	slices.SortFunc(problems, func(a, b FieldProblem) int { return strings.Compare(a.Field, b.Field) })
	return problems
}

// Process is a process's record: its kind, school and the pupil it is about. Who may read a
// process's history follows from them.
type Process struct {
	ID            string
	Kind          string
	SchoolID      string
	SubjectPerson string
}

// RegisterProcessActivity records a Process (see activities/tasks.go).
var RegisterProcessActivity = DeclareActivity[Process, None]("RegisterProcess")
