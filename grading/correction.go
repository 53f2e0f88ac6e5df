package grading

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// A correction of a final grade after publication, by the law's two routes (skollagen 3 kap.):
// an Ändring, the grading teacher's change of an obviously wrong grade, never lower; and a
// Rättelse, the principal's correction of an obvious clerical error, after the pupil and each
// custodial guardian have been heard, each through a task of their own with a reply window that
// is data. Either way the original grade stays: a new grade replaces it (correction_type,
// replaces), and the guardians are told. The request was checked before the process started
// (the scale, never lower by Ändring, a current, final and published grade); the process holds
// ids, the correction's type and the new value.

// CorrectionID is the business key of a grade's correction: one at a time for a grade, and a
// grade is replaced once, so a second correction of the same grade finds this one.
func CorrectionID(gradeID string) string { return "grade-correction:" + gradeID }

// CorrectionInput starts a correction.
type CorrectionInput struct {
	GradeID     string // the grade corrected
	NewGradeID  string // the grade that replaces it, chosen before the start so recording it is idempotent
	Type        string // Andring or Rattelse
	GradeValue  string // the new value, in the syllabus's scale
	RequestedBy string // the grading teacher (Ändring) or the principal (Rättelse)
	PupilID     string
	SchoolID    string
	// HearingWindow is how long the pupil and each guardian have to answer a Rättelse's hearing.
	HearingWindow    time.Duration
	DeliveryDeadline time.Duration
}

// CorrectionRecord is the new grade as the record keeps it.
type CorrectionRecord struct {
	GradeID    string // the grade replaced
	NewGradeID string
	Type       string
	GradeValue string
	DecidedBy  string // the person who decided the correction; they register it
	At         time.Time
}

// CorrectionOutcome is how the correction ended.
type CorrectionOutcome struct {
	NewGradeID string
	Heard      []string // for a Rättelse: who answered their hearing in time (pupil or guardian ids)
	Withdrawn  int      // for a Rättelse: hearings not answered in the window
}

// The answers to a hearing.
const (
	HearingNoObjection = "no-objection"
	HearingObjects     = "objects"
)

// The correction's activities (activities_corrections.go), by the names recorded histories carry.
var (
	// CorrectionGuardiansActivity answers a pupil's custodial guardians.
	CorrectionGuardiansActivity = workflows.DeclareActivity[string, []string]("GradeCorrectionGuardians")
	// RecordCorrectionActivity records the new grade that replaces the old. Idempotent.
	RecordCorrectionActivity = workflows.DeclareActivity[CorrectionRecord, workflows.None]("RecordGradeCorrection")
)

// GradeCorrection runs one correction to its record. Its workflow type is "GradeCorrection".
func GradeCorrection(ctx workflow.Context, in CorrectionInput) (CorrectionOutcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return CorrectionOutcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	kind := "grading.change" // Ändring
	if in.Type == Rattelse {
		kind = "grading.correction"
	}
	process := workflows.Process{ID: id, Kind: kind, SchoolID: in.SchoolID, SubjectPerson: in.PupilID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return CorrectionOutcome{}, err
	}
	guardians, err := CorrectionGuardiansActivity.Local(ctx, in.PupilID)
	if err != nil {
		return CorrectionOutcome{}, err
	}
	out := CorrectionOutcome{NewGradeID: in.NewGradeID}
	if in.Type == Rattelse {
		if out.Heard, out.Withdrawn, err = hear(ctx, tasks, in, append([]string{in.PupilID}, guardians...)); err != nil {
			return out, err
		}
	}
	record := CorrectionRecord{GradeID: in.GradeID, NewGradeID: in.NewGradeID, Type: in.Type, GradeValue: in.GradeValue,
		DecidedBy: in.RequestedBy, At: workflow.Now(ctx)}
	if _, err := RecordCorrectionActivity.Local(ctx, record); err != nil {
		return out, err
	}

	// Each guardian is told on their own. The message says that the grade was changed or
	// corrected and where to read it, not the grade: that stays behind sign-in.
	var sending workflows.Beside
	for _, g := range guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "grading.corrected", Occasion: in.NewGradeID,
			Params: map[string]string{"pupil": in.PupilID, "correction": in.Type}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return out, err
}

// hear gives each person (the pupil, then each custodial guardian) a hearing task of their own
// and waits until each is answered or its window has passed; a hearing not answered in time is
// withdrawn. It answers who was heard, in the order asked, and how many were withdrawn.
func hear(ctx workflow.Context, tasks *workflows.Tasks, in CorrectionInput, persons []string) ([]string, int, error) {
	ids := make([]string, len(persons))
	for i, p := range persons {
		var err error
		ids[i], err = tasks.Open(ctx, workflows.TaskSpec{
			// HeldBy stays empty: a person's hearing is theirs alone.
			Step: "hearing:" + p, Kind: "grading.hearing", Assignee: workflows.Assignee{PersonID: p},
			SchoolID: in.SchoolID, SubjectPerson: in.PupilID,
			Expects: []workflows.Field{
				{Name: "hearingComment", Type: "text"},
				{Name: "objection", Type: "choice", Choices: []string{HearingNoObjection, HearingObjects}, Required: true},
			},
			Due: in.HearingWindow, RemindBefore: in.HearingWindow / 3, DeliveryDeadline: in.DeliveryDeadline,
		})
		if err != nil {
			return nil, 0, err
		}
	}
	answered := make([]bool, len(persons))
	closed := 0
	var failed error
	for i := range ids {
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { closed++ }()
			_, ok, err := tasks.AwaitOrWithdraw(ctx, ids[i], in.HearingWindow, nil)
			if err != nil && failed == nil {
				failed = err
			}
			answered[i] = ok && err == nil
		})
	}
	if err := workflow.Await(ctx, func() bool { return closed == len(ids) }); err != nil {
		return nil, 0, err
	}
	if failed != nil {
		return nil, 0, failed
	}
	var heard []string
	withdrawn := 0
	for i, p := range persons {
		if answered[i] {
			heard = append(heard, p)
		} else {
			withdrawn++
		}
	}
	return heard, withdrawn, nil
}
