package integration

import (
	"context"
	"testing"

	enums "go.temporal.io/api/enums/v1"
)

// serverCost is what one process cost the Temporal server, counted from its history: the
// workflow tasks it was woken for, the timers it started and those that fired (a cancelled one
// wakes nobody), the activities the server scheduled,
// and the local activities the worker ran inside workflow tasks (recorded as markers).
type serverCost struct {
	WorkflowTasks, Timers, TimersFired, Activities, LocalActivities int
}

// costOf counts a process's cost from its history, all runs of it under id included.
func costOf(t testing.TB, s *stack, id string) serverCost {
	t.Helper()
	var c serverCost
	iter := s.temporal.GetWorkflowHistory(context.Background(), id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch e.GetEventType() {
		case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			c.WorkflowTasks++
		case enums.EVENT_TYPE_TIMER_STARTED:
			c.Timers++
		case enums.EVENT_TYPE_TIMER_FIRED:
			c.TimersFired++
		case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			c.Activities++
		case enums.EVENT_TYPE_MARKER_RECORDED:
			if e.GetMarkerRecordedEventAttributes().GetMarkerName() == "LocalActivity" {
				c.LocalActivities++
			}
		}
	}
	return c
}
