package ss12000

import (
	"context"
	"net/url"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/workflows"
)

// The scheduled sync: every SyncEvery, a run from SyncFrom (sync.go), one at a time.

// SyncScheduleID is the schedule of the sync from the configured source.
const SyncScheduleID = "ss12000-sync"

// SyncActivity runs the sync from the configured source once (Activities.SyncFromSource).
var SyncActivity = workflows.DeclareActivity[workflows.None, SyncResult]("SyncFromSource")

// SyncRegister is one scheduled run of the sync. A run that fails is tried twice more; the
// next run after that reads from the same watermark, so nothing is skipped.
func SyncRegister(ctx workflow.Context) (SyncResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, MaximumAttempts: 3},
	})
	return SyncActivity.Start(ctx, workflows.None{}).Result(ctx)
}

// SyncFromSource runs the sync from the source the settings name.
func (a *Activities) SyncFromSource(ctx context.Context, _ workflows.None) (SyncResult, error) {
	if a.Source == nil {
		return SyncResult{}, temporal.NewNonRetryableApplicationError("no source register is configured (SKOLFLOW_SYNC_FROM)", "not-configured", nil)
	}
	return a.Source(ctx).Run(ctx, a.DB)
}

// ConfiguredSource is the source of the settings, or nil when SKOLFLOW_SYNC_FROM is not set.
func ConfiguredSource(cfg config.Config) (func(context.Context) Source, error) {
	from := SyncFrom.In(cfg)
	if from == "" {
		return nil, nil
	}
	if u, err := url.Parse(from); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &config.SettingError{Name: "SKOLFLOW_SYNC_FROM", Reason: "must be an http or https URL"}
	}
	if SyncTokenURL.In(cfg) == "" || SyncClientID.In(cfg) == "" {
		return nil, &config.SettingError{Name: "SKOLFLOW_SYNC_TOKEN_URL", Reason: "and SKOLFLOW_SYNC_CLIENT_ID are needed to sync from SKOLFLOW_SYNC_FROM"}
	}
	return func(ctx context.Context) Source {
		return NewSource(ctx, from, SyncTokenURL.In(cfg), SyncClientID.In(cfg), SyncClientSecret.In(cfg))
	}, nil
}

// syncSchedules is the sync's schedule when a source is configured.
func syncSchedules(taskQueue string, cfg config.Config) []client.ScheduleOptions {
	if SyncFrom.In(cfg) == "" {
		return nil
	}
	return []client.ScheduleOptions{{
		ID:      SyncScheduleID,
		Spec:    client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: SyncEvery.In(cfg)}}},
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP, // one run at a time
		Action:  &client.ScheduleWorkflowAction{ID: SyncScheduleID + "-run", Workflow: SyncRegister, TaskQueue: taskQueue},
	}}
}
