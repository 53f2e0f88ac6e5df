package absence

import (
	"context"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// ReportLessonMissed is the client side of the absence day: it adds the lesson to the pupil's
// running absence day, or starts the day with it (signal-with-start on the business key). It
// returns the process ID.
func ReportLessonMissed(ctx context.Context, c client.Client, taskQueue string, in AbsenceDayInput, m LessonMissed) (string, error) {
	id := AbsenceDayID(in.StudentID, in.Day)
	_, err := c.SignalWithStartWorkflow(ctx, id, SignalLessonMissed, m,
		client.StartWorkflowOptions{
			ID:        id,
			TaskQueue: taskQueue,
			// A day whose process has closed opens again for an absence reported after it.
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		},
		AbsenceDay, in)
	return id, err
}
