package api

import (
	"context"
	"errors"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/workflows"
)

// Update sends the Update name with arg to the process and waits for the workflow's answer,
// which it decodes into result: a human step, which the kernel's tasks and an area's handlers
// send alike. Errors are the error vocabulary's: a rejection by the validator is a conflict
// (the step is not open, or the process does not take it now) or invalid (the payload does not
// fit); a task that is its assignee's alone is forbidden to others; a process that has ended has
// moved on; an engine that does not answer in time is unavailable.
func Update(c *gin.Context, t client.Client, processID, name string, arg, result any) error {
	// A process whose worker is gone must not hold the person's request for ever.
	ctx, cancel := context.WithTimeout(c, updateTimeout)
	defer cancel()
	handle, err := t.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   processID,
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, result)
	}
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	switch {
	case err == nil:
		return nil
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTaskForbidden:
		return errs.E(errs.Forbidden, errs.Msg(notReassignable))
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTaskConflict:
		return errs.E(errs.Conflict, errs.Msg("The step is already completed or cancelled, or its process has moved on."))
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTaskInvalid:
		var problems []workflows.FieldProblem
		_ = appErr.Details(&problems)
		fields := make([]errs.FieldError, len(problems))
		for i, p := range problems {
			fields[i] = errs.FieldError{Field: "payload/" + p.Field, Detail: p.Detail}
		}
		return errs.E(errs.Invalid, errs.Msg("The payload does not fit this step."), fields)
	case errors.As(err, &notFound):
		return errs.E(errs.Conflict, errs.Msg("The step's process has moved on."), err)
	case errors.As(err, new(*serviceerror.Unavailable)), errors.As(err, new(*serviceerror.DeadlineExceeded)),
		errors.Is(err, context.DeadlineExceeded):
		return errs.E(errs.Unavailable, errs.Msg("The process engine is unavailable; try again."), err)
	default:
		return errs.E(errs.Internal, err)
	}
}

// updateTimeout bounds a person's wait for a process to answer an Update.
const updateTimeout = 15 * time.Second
