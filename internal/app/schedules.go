package app

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/config"
)

// EnsureSchedules creates every area's schedules (area.Module.Schedules), or brings one that
// exists in line with cfg: a worker started with new settings or a new time updates it.
func EnsureSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	for _, m := range Modules(area.Env{TaskQueue: cfg.TaskQueue, Config: cfg}) {
		for _, s := range m.Schedules {
			if err := ensureSchedule(ctx, c, s); err != nil {
				return fmt.Errorf("the %s area's schedule %s: %w", m.Name, s.ID, err)
			}
		}
	}
	return nil
}

func ensureSchedule(ctx context.Context, c client.Client, s client.ScheduleOptions) error {
	_, err := c.ScheduleClient().Create(ctx, s)
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = c.ScheduleClient().GetHandle(ctx, s.ID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				schedule := in.Description.Schedule
				schedule.Spec, schedule.Action = &s.Spec, s.Action
				return &client.ScheduleUpdate{Schedule: &schedule}, nil
			},
		})
	}
	return err
}
