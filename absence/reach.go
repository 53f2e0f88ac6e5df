package absence

import (
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// Reaching the guardians: the notice must reach them the same day (skollagen 7 kap. 17 §). If by
// the day's cut-off no custodial guardian has been reached on a channel they chose (every email
// and SMS failed or is still being retried), the school must try another way: the mentor gets a
// task to reach them, by telephone say, and the principal gets it if the mentor does not act. A
// guardian counts as reached as soon as one of their channels delivered, or, if they chose only
// the app, once the notice is in their inbox; the task is withdrawn if one is reached later or
// answers.

// checkReach waits for the cut-off, or NoticeWindow after the first notice if that is later, and
// opens the mentor's task if nobody has been reached by then. It runs once per day, from the
// first notice.
func (d *absenceDay) checkReach(ctx workflow.Context) {
	cutoff := d.started.Add(d.in.ReachBy)
	if late := workflow.Now(ctx).Add(d.in.NoticeWindow); late.After(cutoff) {
		cutoff = late
	}
	if ok, err := workflows.AwaitUntil(ctx, cutoff, func() bool { return d.reachedGuardian }); ok || err != nil {
		return
	}
	id, err := d.openMentorTask(ctx, "reach", "absence.reach-guardians",
		workflows.Field{Name: "outcome", Type: "choice", Choices: []string{"reached", "not-reached"}, Required: true})
	if err != nil {
		return
	}
	d.state.ReachTask = id
	// The task is withdrawn once a guardian is reached after all, or answers the notice.
	_, _, _ = d.tasks.AwaitOrWithdraw(ctx, id, 0, func() bool { return d.reachedGuardian || d.replied })
}
