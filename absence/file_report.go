package absence

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// PeriodProblem says what is wrong with the period of a guardian's report of absence, naming
// "start" or "end", or "" when nothing is: it ends after it starts, starts today or later (a
// report is of today's or coming days' absence), and lasts at most MaxReportedDays (longer is
// leave, applied for separately).
func PeriodProblem(start, end time.Time) (field, detail string) {
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	switch {
	case !end.After(start):
		return "end", "is not after the start"
	case start.In(register.SchoolDay).Format(time.DateOnly) < today:
		return "start", "is in the past: report today's or coming days' absence"
	case end.Sub(start) > MaxReportedDays*24*time.Hour:
		return "end", "is more than 31 days after the start; longer absence is leave, applied for separately"
	}
	return "", ""
}

// FileReport records a guardian's report of absence (anmäld frånvaro) and tells the child's
// other custodial guardians: the one way a report is filed, whether the guardian reports in
// Skolflow or a system reports for them through SS 12000. A report filed twice is recorded and
// told once (its id and its process's are the report's).
func FileReport(ctx context.Context, s Store, env area.Env, r Report) error {
	if err := s.AddReport(ctx, r); err != nil {
		return err
	}
	_, err := env.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: AbsenceReportID(r.ID), TaskQueue: env.TaskQueue},
		AbsenceReported, AbsenceReportedInput{ReportID: r.ID, PupilID: r.PupilID, ReportedBy: r.ReportedBy,
			From: r.Start, To: r.End, DeliveryDeadline: env.Config.DeliveryDeadline})
	if err != nil && !errs.AlreadyStarted(err) {
		return errs.E(errs.Unavailable, errs.Msg("The report is saved, but the other guardians could not be told; send it again."), err)
	}
	return nil
}
