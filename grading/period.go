package grading

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The grading period: one school unit's grades of one term (skollagen 3 kap.). When entry
// opens, each graded activity's teacher gets a task to grade the whole group, on one form,
// saved as a draft and submitted once; reminders come before the teacher deadline, and at the
// deadline what is missing goes to the principal. A teacher certified in the subject sets the
// grade alone; an uncertified teacher's grades are final only with a certified colleague's
// co-signature, and where the two disagree the law says who decides. When every grade is final
// the principal signs off each group's catalogue, and at the publication time the grades are
// published and the pupils and their custodial guardians are told, each once.
//
// The process holds ids, dates and choices; the grades themselves are records (Store), which
// the area's routes write before they complete a task.

// ProcessID is the business key of a school unit's grading period of a term: its process's ID.
func ProcessID(schoolUnitID, termID string) string { return "grading:" + schoolUnitID + ":" + termID }

// ActivityProcessID is the ID of the child process of a period's process that grades one of its
// activities (GradeActivity), and CatalogueProcessID the one that has a group's catalogue signed
// off (SignOffCatalogue). Their tasks are the period's: they are found by these IDs and the
// period's run (workflows.TaskID).
func ActivityProcessID(periodProcess, activityID string) string {
	return periodProcess + ":activity:" + activityID
}
func CatalogueProcessID(periodProcess, groupID string) string {
	return periodProcess + ":catalogue:" + groupID
}

// TellingProcessID is the ID of the child process that tells the n-th batch of a period's
// pupils and guardians of the publication (TellPublished): numbered, naming no one.
func TellingProcessID(periodProcess string, n int) string {
	return periodProcess + ":published:" + strconv.Itoa(n)
}

// PeriodOfProcess answers the period's id of a period's process ID or of one of its children's.
func PeriodOfProcess(process string) (string, bool) {
	parts := strings.Split(process, ":")
	if len(parts) < 3 || parts[0] != "grading" || parts[1] == "" || parts[2] == "" {
		return "", false
	}
	return PeriodID(parts[1], parts[2]), true
}

// periodNamespace derives a period's id from its business key.
var periodNamespace = uuid.MustParse("8b0f5d2e-6c1a-4f3e-9d27-5a4c3b2e1f60")

// PeriodID is a period's id, the record's and the API's: derived from its business key, so that
// a second period of the same school unit and term is the same row.
func PeriodID(schoolUnitID, termID string) string {
	return uuid.NewSHA1(periodNamespace, []byte(ProcessID(schoolUnitID, termID))).String()
}

// PeriodInput starts a grading period. The four dates are the principal's; the durations are
// data: how long before the teacher deadline the teachers are reminded, and the time a co-signer,
// a principal deciding a disagreement and the principal's sign-off each have.
type PeriodInput struct {
	PeriodID         string // the record's id; the process's ID is the business key (ProcessID)
	SchoolID         string
	EntryOpens       time.Time
	TeacherDeadline  time.Time
	SignOff          time.Time
	Publication      time.Time
	RemindBefore     time.Duration
	StepDue          time.Duration
	DeliveryDeadline time.Duration
}

// Plan is the period's graded activities and groups, as the register has them when entry opens.
type Plan struct {
	Activities []ActivityPlan
	Groups     []string // every group of a graded activity: a catalogue each
}

// ActivityPlan is one graded activity: who grades it, and who co-signs.
type ActivityPlan struct {
	ActivityID string
	Groups     []string
	Teacher    string // the grading teacher: the activity's teacher (the first, if several)
	Certified  bool   // the teacher is certified in the syllabus's subject
	// CoSigner is a teacher of the school certified in the subject, who co-signs an uncertified
	// teacher's grades; "" when the school has none, and the principal names one (reassigns).
	CoSigner string
}

// The steps' kinds, and their tasks' steps (unique in the process; the tasks' ids derive from them).
const (
	KindSet     = "grading.set"     // the teacher grades the group
	KindCoSign  = "grading.cosign"  // a certified teacher co-signs an uncertified teacher's grades
	KindDecide  = "grading.decide"  // the principal decides where teacher and co-signer disagree
	KindSignOff = "grading.signoff" // the principal signs off a group's catalogue
)

// SetStep, CoSignStep and SignOffStep are the steps of an activity's and a group's tasks: the
// area's routes derive the tasks' ids from them (workflows.TaskID) to complete them.
func SetStep(activity string) string    { return "set:" + activity }
func CoSignStep(activity string) string { return "cosign:" + activity }
func SignOffStep(group string) string   { return "signoff:" + group }
func decideStep(activity string) string { return "decide:" + activity }

// The co-signer's answer, and the principal's choice on a disagreement.
const (
	Agree        = "agree"
	Disagree     = "disagree"
	TeachersSide = "teacher"
	CoSignerSide = "co-signer"
)

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// PeriodStartedActivity records the process's first run on the period (the tasks' ids derive from it).
	PeriodStartedActivity = workflows.DeclareActivity[PeriodStarted, workflows.None]("GradingPeriodStarted")
	// PlanActivity answers the period's graded activities and groups.
	PlanActivity = workflows.DeclareActivity[string, Plan]("GradingPlan")
	// FinalizeActivity makes an activity's submitted grades final (Finalize).
	FinalizeActivity = workflows.DeclareActivity[Finalize, workflows.None]("FinalizeGrades")
	// CertifiedActivity answers whether a person is certified in an activity's subject.
	CertifiedActivity = workflows.DeclareActivity[Certification, bool]("CertifiedInSubject")
	// SignCatalogueActivity records a group's signed catalogue and its hash; the sign-off's route
	// records it first, and leaves it nothing to do.
	SignCatalogueActivity = workflows.DeclareActivity[SignedCatalogue, workflows.None]("SignCatalogue")
	// PublishActivity publishes the period's grades and answers whom to tell.
	PublishActivity = workflows.DeclareActivity[Publication, []Recipient]("PublishGrades")
)

// ChildInput starts one of a period's child processes: an activity's grading (Activity) or a
// group's sign-off (GroupID).
type ChildInput struct {
	Period    PeriodInput
	PeriodRun string       // the period's first run: the child's tasks' ids derive from it
	Activity  ActivityPlan // GradeActivity's
	GroupID   string       // SignOffCatalogue's
}

// PeriodStarted is the period and the first run of its process.
type PeriodStarted struct{ PeriodID, RunID string }

// Finalize makes the submitted grades of an activity final: as the teacher set them, co-signed
// by CoSigner, or with the co-signer's proposals where DecidedBy is the co-signer or the
// principal took the co-signer's side.
type Finalize struct {
	PeriodID, ActivityID string
	CoSigner             string // "" for a teacher certified in the subject
	DecidedBy            string // teacher, co-signer or principal (the grades' decided_by)
	UseProposals         bool   // the co-signer's proposals stand where given
	At                   time.Time
}

// Certification asks whether Person is certified in the subject of Activity.
type Certification struct{ Person, ActivityID string }

// SignedCatalogue is a group's catalogue signed off by By at At.
type SignedCatalogue struct {
	PeriodID, GroupID, By string
	At                    time.Time
}

// Publication publishes the period's grades At.
type Publication struct {
	PeriodID string
	At       time.Time
}

// Recipient is one person to tell that a pupil's grades are published: the pupil, or one of
// their custodial guardians.
type Recipient struct {
	Person string `db:"person"`
	Pupil  string `db:"pupil"`
}

// PeriodOutcome is what the period came to.
type PeriodOutcome struct {
	Activities int
	Published  time.Time
}

// GradingPeriod runs one school unit's grading of one term. Its workflow type is "GradingPeriod".
//
// Each graded activity is graded in a child process of its own (GradeActivity), each group's
// catalogue signed off in another (SignOffCatalogue), and the publication told in batches
// (TellPublished): a school unit has hundreds of activities and thousands to tell, and the SDK
// wakes every waiting coroutine of a process on each of its events, so one process holding them
// all would spend in proportion to the whole school on every teacher's step and every delivery.
func GradingPeriod(ctx workflow.Context, in PeriodInput) (PeriodOutcome, error) {
	out, err := runPeriod(ctx, in)
	if err != nil {
		return out, err
	}
	return out, workflows.Finish(ctx)
}

func runPeriod(ctx workflow.Context, in PeriodInput) (PeriodOutcome, error) {
	info := workflow.GetInfo(ctx)
	if _, err := PeriodStartedActivity.Local(ctx, PeriodStarted{PeriodID: in.PeriodID, RunID: info.FirstRunID}); err != nil {
		return PeriodOutcome{}, err
	}
	process := workflows.Process{ID: info.WorkflowExecution.ID, Kind: "grading", SchoolID: in.SchoolID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return PeriodOutcome{}, err
	}
	if err := sleepUntil(ctx, in.EntryOpens); err != nil {
		return PeriodOutcome{}, err
	}
	plan, err := PlanActivity.Local(ctx, in.PeriodID)
	if err != nil {
		return PeriodOutcome{}, err
	}

	// Each activity is graded on its own, side by side: one teacher's delay holds up no other.
	step := ChildInput{Period: in, PeriodRun: info.FirstRunID}
	if err := inChildren(ctx, plan.Activities, func(a ActivityPlan) (string, any, any) {
		child := step
		child.Activity = a
		return ActivityProcessID(info.WorkflowExecution.ID, a.ActivityID), GradeActivity, child
	}); err != nil {
		return PeriodOutcome{}, err
	}
	// Every grade is final: the principal signs off each group's catalogue, in any order.
	if err := inChildren(ctx, plan.Groups, func(group string) (string, any, any) {
		child := step
		child.GroupID = group
		return CatalogueProcessID(info.WorkflowExecution.ID, group), SignOffCatalogue, child
	}); err != nil {
		return PeriodOutcome{}, err
	}

	// Published at the publication time, or at the sign-off if that came later.
	if err := sleepUntil(ctx, in.Publication); err != nil {
		return PeriodOutcome{}, err
	}
	at := workflow.Now(ctx)
	recipients, err := PublishActivity.Local(ctx, Publication{PeriodID: in.PeriodID, At: at})
	if err != nil {
		return PeriodOutcome{}, err
	}
	// Told in batches, each in a child process: a school unit has thousands to tell, and one
	// process waiting on each of their deliveries would wake them all on every event.
	if err := inChildren(ctx, batches(recipients, PerTelling), func(b batch[Recipient]) (string, any, any) {
		telling := Telling{PeriodProcess: info.WorkflowExecution.ID, Recipients: b.items, DeliveryDeadline: in.DeliveryDeadline}
		return TellingProcessID(info.WorkflowExecution.ID, b.n), TellPublished, telling
	}); err != nil {
		return PeriodOutcome{}, err
	}
	return PeriodOutcome{Activities: len(plan.Activities), Published: at}, nil
}

// inChildren runs a child process for every item, all side by side, and waits in one coroutine
// until all have ended or one has failed. start answers an item's process ID, workflow and input.
// A child outlives no period: when the period ends early (terminated), so do its children.
func inChildren[T any](ctx workflow.Context, items []T, start func(T) (id string, wf any, in any)) error {
	sel := workflow.NewSelector(ctx)
	var failed error
	for _, item := range items {
		id, wf, in := start(item)
		child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: id})
		sel.AddFuture(workflow.ExecuteChildWorkflow(child, wf, in), func(f workflow.Future) {
			if err := f.Get(ctx, nil); err != nil && failed == nil {
				failed = err
			}
		})
	}
	for range items {
		sel.Select(ctx)
		if failed != nil {
			return failed
		}
	}
	return nil
}

// sleepUntil waits until t (a durable timer), at once if t has passed.
func sleepUntil(ctx workflow.Context, t time.Time) error {
	if d := t.Sub(workflow.Now(ctx)); d > 0 {
		return workflow.Sleep(ctx, d)
	}
	return nil
}

// until is the time from now to t, at least a second: a task whose deadline has passed when
// it opens escalates at once.
func until(ctx workflow.Context, t time.Time) time.Duration {
	return max(t.Sub(workflow.Now(ctx)), time.Second)
}

// first is a task's group: the first of an activity's (the plan sorts them), "" for none.
func first(groups []string) string {
	if len(groups) == 0 {
		return ""
	}
	return groups[0]
}
