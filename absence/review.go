package absence

import (
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The daily absence review: a schedule runs it once a day. It adds up each pupil's absence in the
// current calendar month and opens an investigation (see investigation.go) for every pupil whose
// invalid absence repeats on Repeats days or more, or whose absence reaches SharePercent of the
// registered time. A pupil is investigated at most once a month: the investigation's business key
// is the pupil and the month, and a key already used is not used again.

// AbsenceReviewID is the business key of the review the schedule starts.
const AbsenceReviewID = "absence-review"

// AbsenceReviewInput carries the thresholds and the investigations' timings; After and Opened
// are where a review that continued as new left off.
type AbsenceReviewInput struct {
	SharePercent     int
	Repeats          int
	InvestigationDue time.Duration
	DeliveryDeadline time.Duration
	At               time.Time // the review's moment; zero: now
	After            string    // pupils after this id are still to be reviewed
	Opened           int       // investigations the review's earlier runs opened
	Page             int       // pupils a run reviews before it continues as new; zero: 500
}

// AbsencePatternQuery asks for one page of pupils whose absence calls for an investigation.
type AbsencePatternQuery struct {
	At           time.Time // the month is the calendar month of At in the schools' time zone
	SharePercent int
	Repeats      int
	After        string
	Limit        int
}

// FindAbsencePatternsActivity answers a page of AbsencePattern, ordered by pupil.
var FindAbsencePatternsActivity = workflows.DeclareActivity[AbsencePatternQuery, []AbsencePattern]("FindAbsencePatterns")

// reviewPage bounds the pupils one run handles before it continues as new, so that the history
// stays small however many pupils a city has.
const reviewPage = 500

// AbsenceReview reviews every pupil and answers how many investigations it opened, in all its
// runs.
func AbsenceReview(ctx workflow.Context, in AbsenceReviewInput) (int, error) {
	if in.At.IsZero() {
		in.At = workflow.Now(ctx)
	}
	if in.Page <= 0 {
		in.Page = reviewPage
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute, // a month of a city's attendance
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	q := AbsencePatternQuery{At: in.At, SharePercent: in.SharePercent, Repeats: in.Repeats, After: in.After, Limit: in.Page}
	page, err := FindAbsencePatternsActivity.Start(ctx, q).Result(ctx)
	if err != nil {
		return 0, err
	}
	opened := in.Opened
	starts := make([]workflow.ChildWorkflowFuture, len(page))
	for i, p := range page {
		child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            InvestigationID(p.PupilID, p.Month),
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			// The investigation outlives the review that opened it.
			ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON,
		})
		starts[i] = workflow.ExecuteChildWorkflow(child, Investigation,
			InvestigationInput{Pattern: p, Due: in.InvestigationDue, DeliveryDeadline: in.DeliveryDeadline})
	}
	for _, f := range starts {
		err := f.GetChildWorkflowExecution().Get(ctx, nil)
		if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			continue // this month's investigation is open or done already
		}
		if err != nil {
			return opened, err
		}
		opened++
	}
	if len(page) == in.Page {
		in.After, in.Opened = page[len(page)-1].PupilID, opened
		return opened, workflow.NewContinueAsNewError(ctx, AbsenceReview, in)
	}
	return opened, nil
}
