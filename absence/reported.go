package absence

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// AbsenceReported tells a child's other custodial guardians that one of them reported the child
// absent (sjukanmälan), each through their own channels. The report itself is a record the API
// writes; this process only spreads the word.

// AbsenceReportID is the business key of a report's telling.
func AbsenceReportID(reportID string) string { return "absence-report:" + reportID }

// AbsenceReportedInput names the report, the child, the guardian who reported, and the period.
type AbsenceReportedInput struct {
	ReportID         string
	PupilID          string
	ReportedBy       string
	From, To         time.Time
	DeliveryDeadline time.Duration
}

// AbsenceReported notifies every custodial guardian but the one who reported.
func AbsenceReported(ctx workflow.Context, in AbsenceReportedInput) ([]workflows.NotifyReport, error) {
	guardians, err := CustodialGuardiansActivity.Local(ctx, in.PupilID)
	if err != nil {
		return nil, err
	}
	var reports []workflows.NotifyReport
	var sending workflows.Beside // each guardian is told on their own, side by side
	for _, g := range guardians {
		if g == in.ReportedBy {
			continue
		}
		req := workflows.NotifyRequest{ProcessID: AbsenceReportID(in.ReportID), Recipient: g, Purpose: "absence.reported",
			Params: map[string]string{"pupil": in.PupilID, "from": in.From.Format(time.RFC3339), "to": in.To.Format(time.RFC3339)}}
		sending.Go(ctx, func(ctx workflow.Context) {
			if r, err := workflows.Notify(ctx, req, in.DeliveryDeadline); err == nil {
				reports = append(reports, r)
			}
		})
	}
	err = workflow.Await(ctx, sending.Idle)
	return reports, err
}
