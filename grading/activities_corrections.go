package grading

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The activities of the risk and correction processes, thin over the Store.

// GradeRiskParties answers who takes part in a risk's process (Store.RiskParties).
func (a *Activities) GradeRiskParties(ctx context.Context, q RiskQuery) (RiskParties, error) {
	return Store{a.DB}.RiskParties(ctx, q)
}

// GradeCorrectionGuardians answers the pupil's custodial guardians.
func (a *Activities) GradeCorrectionGuardians(ctx context.Context, pupil string) ([]string, error) {
	return register.CustodialGuardians(ctx, a.DB, pupil)
}

// RecordGradeCorrection records the grade that replaces a corrected one (Store.RecordCorrection).
// Idempotent; a grade already replaced by another, or not on record, is a permanent failure.
func (a *Activities) RecordGradeCorrection(ctx context.Context, r CorrectionRecord) error {
	err := Store{a.DB}.RecordCorrection(ctx, r)
	if k := errs.KindOf(err); err != nil && (k == errs.NotFound || k == errs.Conflict) {
		// Worded without the grade's values: the error reaches the process's history.
		return temporal.NewNonRetryableApplicationError("the grade cannot be replaced: it is not on record or already replaced", "grade-not-replaceable", nil)
	}
	return activities.Permanent(err)
}
