package grading

import (
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The period's child processes: one per graded activity, which has its group graded and, where
// the law asks, co-signed and decided; and one per group, which has its catalogue signed off.
// Each registers itself under the period's school: its history is for the same readers as the period's.

// GradeActivity runs one activity's grading to final grades (ActivityProcessID): the teacher's
// task, then, for a teacher not certified in the subject, the co-signature and, on disagreement,
// the decision. Its workflow type is "GradeActivity".
func GradeActivity(ctx workflow.Context, in ChildInput) error {
	tasks, err := childTasks(ctx, in)
	if err != nil {
		return err
	}
	if err := grade(ctx, tasks, in.Period, in.Activity); err != nil {
		return err
	}
	return workflows.Finish(ctx, tasks.Settled)
}

// SignOffCatalogue has the principal sign off one group's catalogue by the sign-off date, and
// records it with its hash (CatalogueProcessID). Its workflow type is "SignOffCatalogue".
func SignOffCatalogue(ctx workflow.Context, in ChildInput) error {
	tasks, err := childTasks(ctx, in)
	if err != nil {
		return err
	}
	p := in.Period
	id, err := tasks.Open(ctx, workflows.TaskSpec{Step: SignOffStep(in.GroupID), Kind: KindSignOff,
		Assignee: workflows.Assignee{Role: "Rektor", OrgID: p.SchoolID}, SchoolID: p.SchoolID, SubjectGroup: in.GroupID,
		Expects: []workflows.Field{{Name: "catalogue", Type: "record", Required: true}},
		Due:     until(ctx, p.SignOff), DeliveryDeadline: p.DeliveryDeadline})
	if err != nil {
		return err
	}
	out, err := tasks.Await(ctx, id)
	if err != nil {
		return err
	}
	if _, err := SignCatalogueActivity.Local(ctx, SignedCatalogue{PeriodID: p.PeriodID, GroupID: in.GroupID, By: out.By, At: out.Completed}); err != nil {
		return err
	}
	return workflows.Finish(ctx, tasks.Settled)
}

// childTasks registers a child process and answers its tasks, whose ids derive from the period's run.
func childTasks(ctx workflow.Context, in ChildInput) (*workflows.Tasks, error) {
	tasks, err := workflows.NewTasksOfRun(ctx, in.PeriodRun)
	if err != nil {
		return nil, err
	}
	process := workflows.Process{ID: workflow.GetInfo(ctx).WorkflowExecution.ID, Kind: "grading", SchoolID: in.Period.SchoolID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return nil, err
	}
	return tasks, nil
}

// grade runs the activity's steps: see GradeActivity.
func grade(ctx workflow.Context, tasks *workflows.Tasks, p PeriodInput, a ActivityPlan) error {
	principal := workflows.Assignee{Role: "Rektor", OrgID: p.SchoolID}
	set := workflows.TaskSpec{Step: SetStep(a.ActivityID), Kind: KindSet, Assignee: workflows.Assignee{PersonID: a.Teacher},
		SchoolID: p.SchoolID, SubjectGroup: first(a.Groups),
		Expects: []workflows.Field{{Name: "grades", Type: "record", Required: true}},
		Due:     until(ctx, p.TeacherDeadline), RemindBefore: p.RemindBefore,
		// At the deadline a missing group goes to the principal, who may give it to another teacher.
		EscalateTo: []workflows.Assignee{principal}, HeldBy: []string{"Lärare"}, DeliveryDeadline: p.DeliveryDeadline}
	if a.Teacher == "" {
		set.Assignee = principal
	}
	id, err := tasks.Open(ctx, set)
	if err != nil {
		return err
	}
	if _, err := tasks.Await(ctx, id); err != nil {
		return err
	}
	if !NeedsCoSign(a.Certified) {
		_, err := FinalizeActivity.Local(ctx, Finalize{PeriodID: p.PeriodID, ActivityID: a.ActivityID, DecidedBy: "teacher", At: workflow.Now(ctx)})
		return err
	}

	// An uncertified teacher's grades are final only with a certified teacher's co-signature.
	cosigner := workflows.Assignee{PersonID: a.CoSigner}
	if a.CoSigner == "" {
		cosigner = principal // the school has no one certified in the subject: the principal names one
	}
	id, err = tasks.Open(ctx, workflows.TaskSpec{Step: CoSignStep(a.ActivityID), Kind: KindCoSign, Assignee: cosigner,
		SchoolID: p.SchoolID, SubjectGroup: first(a.Groups),
		Expects: []workflows.Field{{Name: "decision", Type: "record", Required: true}},
		Due:     p.StepDue, EscalateTo: []workflows.Assignee{principal}, HeldBy: []string{"Lärare"}, DeliveryDeadline: p.DeliveryDeadline})
	if err != nil {
		return err
	}
	signed, err := tasks.Await(ctx, id)
	if err != nil {
		return err
	}
	done := Finalize{PeriodID: p.PeriodID, ActivityID: a.ActivityID, CoSigner: signed.By, DecidedBy: "teacher"}
	if signed.Payload["decision"] == Disagree {
		certified, err := CertifiedActivity.Local(ctx, Certification{Person: signed.By, ActivityID: a.ActivityID})
		if err != nil {
			return err
		}
		switch DecidesOnDisagreement(certified) {
		case DecidesCoSigner:
			done.DecidedBy, done.UseProposals = "co-signer", true
		default:
			if done.UseProposals, err = decide(ctx, tasks, p, a); err != nil {
				return err
			}
			done.DecidedBy = "principal"
		}
	}
	done.At = workflow.Now(ctx)
	_, err = FinalizeActivity.Local(ctx, done)
	return err
}

// decide asks the principal whose grades stand, the teacher's or the co-signer's; it answers
// true for the co-signer's.
func decide(ctx workflow.Context, tasks *workflows.Tasks, p PeriodInput, a ActivityPlan) (bool, error) {
	id, err := tasks.Open(ctx, workflows.TaskSpec{Step: decideStep(a.ActivityID), Kind: KindDecide,
		Assignee: workflows.Assignee{Role: "Rektor", OrgID: p.SchoolID}, SchoolID: p.SchoolID, SubjectGroup: first(a.Groups),
		Expects: []workflows.Field{{Name: "side", Type: "choice", Choices: []string{TeachersSide, CoSignerSide}, Required: true}},
		Due:     p.StepDue, DeliveryDeadline: p.DeliveryDeadline})
	if err != nil {
		return false, err
	}
	out, err := tasks.Await(ctx, id)
	return out.Payload["side"] == CoSignerSide, err
}
