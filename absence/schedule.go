package absence

import (
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/internal/config"
)

// AbsenceReviewScheduleID names the schedule of the daily absence review on a task queue.
func AbsenceReviewScheduleID(taskQueue string) string { return "absence-review:" + taskQueue }

// reviewSchedule runs the AbsenceReview once a day at SKOLFLOW_ABSENCE_REVIEW_AT in the schools'
// time zone, with the thresholds and the investigations' timings cfg sets.
func reviewSchedule(taskQueue string, cfg config.Config) client.ScheduleOptions {
	return client.ScheduleOptions{
		ID: AbsenceReviewScheduleID(taskQueue),
		Spec: client.ScheduleSpec{
			Calendars: []client.ScheduleCalendarSpec{{
				Hour:   []client.ScheduleRange{{Start: int(ReviewAt.In(cfg).Hours())}},
				Minute: []client.ScheduleRange{{Start: int(ReviewAt.In(cfg).Minutes()) % 60}},
			}},
			TimeZoneName: "Europe/Stockholm",
		},
		Action: &client.ScheduleWorkflowAction{
			ID:        AbsenceReviewID + ":" + taskQueue,
			Workflow:  AbsenceReview,
			TaskQueue: taskQueue,
			Args: []any{AbsenceReviewInput{SharePercent: InvestigationShare.In(cfg), Repeats: InvestigationRepeats.In(cfg),
				InvestigationDue: InvestigationDue.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline}},
		},
	}
}
