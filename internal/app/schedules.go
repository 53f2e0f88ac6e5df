package app

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/internal/config"
)

// AbsenceReviewScheduleID names the schedule of the daily absence review on a task queue.
func AbsenceReviewScheduleID(taskQueue string) string { return "absence-review:" + taskQueue }

// EnsureSchedules creates the daily absence review's schedule, or brings an existing one in
// line with cfg: a worker started with new thresholds or a new time updates it.
func EnsureSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	id := AbsenceReviewScheduleID(cfg.TaskQueue)
	spec := client.ScheduleSpec{
		Calendars: []client.ScheduleCalendarSpec{{
			Hour:   []client.ScheduleRange{{Start: int(cfg.AbsenceReviewAt.Hours())}},
			Minute: []client.ScheduleRange{{Start: int(cfg.AbsenceReviewAt.Minutes()) % 60}},
		}},
		TimeZoneName: "Europe/Stockholm",
	}
	action := &client.ScheduleWorkflowAction{
		ID:        absence.AbsenceReviewID + ":" + cfg.TaskQueue,
		Workflow:  absence.AbsenceReview,
		TaskQueue: cfg.TaskQueue,
		Args: []any{absence.AbsenceReviewInput{SharePercent: cfg.InvestigationShare, Repeats: cfg.InvestigationRepeats,
			InvestigationDue: cfg.InvestigationDue, DeliveryDeadline: cfg.DeliveryDeadline}},
	}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{ID: id, Spec: spec, Action: action})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = c.ScheduleClient().GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				s := in.Description.Schedule
				s.Spec, s.Action = &spec, action
				return &client.ScheduleUpdate{Schedule: &s}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("the absence review's schedule: %w", err)
	}
	return nil
}
