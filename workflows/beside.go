package workflows

import "go.temporal.io/sdk/workflow"

// Beside is the work a process runs beside its main line, such as delivering a message or
// classifying an answer, so that the main line goes on meanwhile. A process ends only once
// everything beside has finished (Finish).
type Beside struct{ running int }

// Go runs fn in a workflow coroutine of its own, counted until it returns.
func (b *Beside) Go(ctx workflow.Context, fn func(ctx workflow.Context)) {
	b.running++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { b.running-- }()
		fn(ctx)
	})
}

// Idle reports whether nothing runs beside.
func (b *Beside) Idle() bool { return b.running == 0 }

// Finish waits until each of done holds and every accepted Update has been handled
// (workflow.AllHandlersFinished): a process's last step, so that no message, task or answer is
// cut off when it returns.
func Finish(ctx workflow.Context, done ...func() bool) error {
	return workflow.Await(ctx, func() bool {
		for _, d := range done {
			if !d() {
				return false
			}
		}
		return workflow.AllHandlersFinished(ctx)
	})
}
