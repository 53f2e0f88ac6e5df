package enrollment

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The application process: a custodial guardian applies with ranked choices, and every other
// custodial guardian is asked to agree, each through a task of their own (with joint custody the
// guardians choose a school together, skollagen and föräldrabalken 6 kap. 13 §). A guardian may
// change the application until the round closes; each change is a new version, asked anew. When
// the round closes, the last version every guardian agreed to is the application that counts;
// without one the application is incomplete, and the child is placed near home. The choices
// stay in PostgreSQL: the process holds ids and version numbers, so nothing of where a family
// wishes its child to go, which may tell where it lives, reaches the history.

// ApplicationID is the business key of a child's application process in a round: the child's
// and the round's record ids, never a name or a civic number.
func ApplicationID(childID, roundID string) string { return "application:" + childID + ":" + roundID }

// ApplicationInput starts a child's application process with its first version.
type ApplicationInput struct {
	ApplicationID    string
	ChildID          string
	RoundID          string
	Organiser        string    // the round's organiser, whose officers may read the process
	AppliedBy        string    // the guardian who wrote the first version: writing it is their consent
	ClosesAt         time.Time // the round's close, after which no version is asked for or counts
	DeliveryDeadline time.Duration
	// Guarantee starts the child's preschool guarantee (guarantee.go), for an application for
	// preschool; nil otherwise. It outlives the application.
	Guarantee *GuaranteeInput
}

// Change is a new version of the application, which the change route has stored (StoreVersion):
// the process asks the other guardians about it instead of the one before.
type Change struct {
	Version int    `json:"version"`
	By      string `json:"by"` // the guardian who wrote it
}

// UpdateChange is the Update by which the change route hands the process a new version.
const UpdateChange = "application.change"

// Consent is a guardian's answer to a version, as the record keeps it.
type Consent struct {
	ApplicationID string
	Version       int
	Guardian      string
	Answer        string // agree or refuse
	At            time.Time
}

// ApplicationStatus is the application's state, as the record keeps it.
type ApplicationStatus struct {
	ApplicationID string
	Status        string // awaiting-consent, complete or incomplete
	Agreed        int    // the last version every custodial guardian agreed to; 0 for none
}

// The application's statuses.
const (
	AwaitingConsent = "awaiting-consent"
	Complete        = "complete"
	Incomplete      = "incomplete"
)

// The consent task's kind, and the answers it takes.
const (
	KindConsent = "application.consent"
	Agree       = "agree"
	Refuse      = "refuse"
)

// ApplicationOutcome is how the application stood when the round closed.
type ApplicationOutcome struct {
	Status string
	Agreed int // the version that counts; 0 for none
}

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// GuardiansActivity answers the child's custodial guardians, as the register says today.
	GuardiansActivity = workflows.DeclareActivity[string, []string]("ApplicationGuardians")
	// RecordConsentActivity records a guardian's answer to a version. Idempotent.
	RecordConsentActivity = workflows.DeclareActivity[Consent, workflows.None]("RecordApplicationConsent")
	// RecordApplicationStatusActivity records the application's status. Idempotent.
	RecordApplicationStatusActivity = workflows.DeclareActivity[ApplicationStatus, workflows.None]("RecordApplicationStatus")
)

// Application runs a child's application in a round until the round closes. Its workflow type is
// "Application".
func Application(ctx workflow.Context, in ApplicationInput) (ApplicationOutcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return ApplicationOutcome{}, err
	}
	a := &application{in: in, tasks: tasks, id: workflow.GetInfo(ctx).WorkflowExecution.ID,
		latest: Change{Version: 1, By: in.AppliedBy}}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateChange, a.change,
		workflow.UpdateHandlerOptions{Validator: a.validateChange}); err != nil {
		return ApplicationOutcome{}, err
	}
	out, err := a.run(ctx)
	if err != nil {
		return out, err
	}
	err = workflows.Finish(ctx, a.sending.Idle, tasks.Settled)
	return out, err
}

type application struct {
	in        ApplicationInput
	id        string
	tasks     *workflows.Tasks
	guardians []string
	latest    Change // the newest version
	asked     int    // the version the guardians are being asked about
	agreed    int    // the last version every guardian agreed to
	refused   int    // the last version a guardian refused
	closed    bool   // the round has closed: no change is taken
	sending   workflows.Beside
}

func (a *application) run(ctx workflow.Context) (ApplicationOutcome, error) {
	process := workflows.Process{ID: a.id, Kind: "application", SchoolID: a.in.Organiser, SubjectPerson: a.in.ChildID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return ApplicationOutcome{}, err
	}
	if g := a.in.Guarantee; g != nil {
		// The guarantee runs from the application to the place, past the round's close.
		child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: GuaranteeID(g.ChildID, g.RoundID),
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON})
		if err := workflow.ExecuteChildWorkflow(child, Guarantee, *g).GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			return ApplicationOutcome{}, err
		}
	}
	var err error
	if a.guardians, err = GuardiansActivity.Local(ctx, a.in.ChildID); err != nil {
		return ApplicationOutcome{}, err
	}
	// Each version is asked about until a newer one comes or the round closes; the versions'
	// consents run one at a time, so an answer always belongs to the version it was asked about.
	for !a.closed {
		version := a.latest
		a.asked = version.Version
		if err := a.record(ctx, AwaitingConsent); err != nil {
			return ApplicationOutcome{}, err
		}
		settled, err := a.consent(ctx, version)
		if err != nil {
			return ApplicationOutcome{}, err
		}
		if settled {
			// Agreed or refused: the version's question is answered; what is left is to wait for a
			// change or the close.
			if err := a.settle(ctx, version); err != nil {
				return ApplicationOutcome{}, err
			}
			ok, err := workflows.AwaitUntil(ctx, a.in.ClosesAt, func() bool { return a.latest.Version != version.Version })
			if err != nil {
				return ApplicationOutcome{}, err
			}
			a.closed = !ok
		}
	}
	out := ApplicationOutcome{Status: Complete, Agreed: a.agreed}
	if a.agreed == 0 {
		out.Status = Incomplete
	}
	if a.agreed != a.asked && a.refused != a.asked {
		// The last version was not answered by the close: the guardians learn that it does not
		// count, and what does (an earlier version agreed by all, or nothing). A refusal has told
		// them already.
		a.tell(ctx, "application.unanswered", a.asked)
	}
	return out, a.record(ctx, out.Status)
}

// consent asks every custodial guardian but the version's writer to agree to it, and waits until
// all have answered, one has refused, a newer version comes, or the round closes. It answers
// whether the version was settled (agreed by all or refused); the open tasks of a version that
// was not are withdrawn.
func (a *application) consent(ctx workflow.Context, v Change) (bool, error) {
	var ids []string
	for _, g := range a.guardians {
		if g == v.By {
			continue
		}
		id, err := a.tasks.Open(ctx, workflows.TaskSpec{
			// HeldBy stays empty: a guardian's consent is theirs alone.
			Step: fmt.Sprintf("consent:%s:%d", g, v.Version), Kind: KindConsent, Assignee: workflows.Assignee{PersonID: g},
			SchoolID: a.in.Organiser, SubjectPerson: a.in.ChildID,
			Expects: []workflows.Field{{Name: "consent", Type: "choice", Choices: []string{Agree, Refuse}, Required: true}},
			Due:     a.in.ClosesAt.Sub(workflow.Now(ctx)), DeliveryDeadline: a.in.DeliveryDeadline,
		})
		if err != nil {
			return false, err
		}
		ids = append(ids, id)
	}
	// Each task ends answered (agreed or refused) or withdrawn; an answer is counted once it is
	// recorded, and a recording that fails fails the process rather than count as anything.
	agreed, refused, ended := 0, false, 0
	var failed error
	for _, id := range ids {
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { ended++ }()
			out, err := a.tasks.Await(ctx, id)
			if err != nil {
				if appErr := (*temporal.ApplicationError)(nil); !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTaskCancelled {
					failed = err
				}
				return // withdrawn
			}
			answer, _ := out.Payload["consent"].(string)
			if _, err := RecordConsentActivity.Local(ctx, Consent{ApplicationID: a.in.ApplicationID, Version: v.Version,
				Guardian: out.By, Answer: answer, At: out.Completed}); err != nil {
				failed = err
				return
			}
			if answer == Refuse {
				refused = true
			} else {
				agreed++
			}
		})
	}
	all := func() bool { return agreed == len(ids) }
	changed := func() bool { return a.latest.Version != v.Version }
	if _, err := workflows.AwaitUntil(ctx, a.in.ClosesAt, func() bool { return refused || all() || changed() || failed != nil }); err != nil {
		return false, err
	}
	for _, id := range ids {
		if err := a.tasks.Cancel(ctx, id); err != nil {
			return false, err
		}
	}
	// An answer that came in with the close or the change is recorded, and counts, before the
	// version's question is settled.
	if err := workflow.Await(ctx, func() bool { return ended == len(ids) }); err != nil {
		return false, err
	}
	if failed != nil {
		return false, failed
	}
	settled := refused || all()
	if !settled {
		a.closed = !changed()
	}
	if refused {
		a.refused = v.Version
	}
	return settled, nil
}

// settle records a version every guardian agreed to as the one that counts, or tells the
// guardians that one refused it.
func (a *application) settle(ctx workflow.Context, v Change) error {
	if a.refused == v.Version {
		a.tell(ctx, "application.refused", v.Version)
		if a.agreed > 0 {
			return a.record(ctx, Complete) // an earlier version, agreed by all, still counts
		}
		return a.record(ctx, Incomplete)
	}
	a.agreed = v.Version
	a.tell(ctx, "application.complete", v.Version)
	return a.record(ctx, Complete)
}

// tell tells every custodial guardian, each on their own, of the application's state.
func (a *application) tell(ctx workflow.Context, purpose string, version int) {
	for _, g := range a.guardians {
		req := workflows.NotifyRequest{ProcessID: a.id, Recipient: g, Purpose: purpose,
			Occasion: fmt.Sprintf("%s#%d", purpose, version),
			Params:   map[string]string{"pupil": a.in.ChildID, "agreed": fmt.Sprint(a.agreed)}}
		a.sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, a.in.DeliveryDeadline)
		})
	}
}

func (a *application) record(ctx workflow.Context, status string) error {
	_, err := RecordApplicationStatusActivity.Local(ctx, ApplicationStatus{ApplicationID: a.in.ApplicationID, Status: status, Agreed: a.agreed})
	return err
}

// validateChange takes a newer version only, while the round is open: a conflict otherwise (the
// round closed, or a newer change came first). A version may be skipped: one the route recorded
// but could not be sure the process took is never asked about. The route has checked who wrote it.
func (a *application) validateChange(ctx workflow.Context, c Change) error {
	if a.closed || !workflow.Now(ctx).Before(a.in.ClosesAt) || c.Version <= a.latest.Version {
		return temporal.NewApplicationError("the round has closed or the application changed meanwhile", workflows.ErrTaskConflict)
	}
	return nil
}

func (a *application) change(ctx workflow.Context, c Change) (int, error) {
	a.latest = c
	return c.Version, nil
}
