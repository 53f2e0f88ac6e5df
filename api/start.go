package api

import (
	"context"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
)

// StartProcess starts the process of a record the handler has committed, so that the process
// always finds it. If the start fails and the process does not exist, withdraw takes the record
// back (nil: the record stays), so nothing is left half-written; if the process exists after all
// (it started and only the answer was lost), the start succeeded. The error is the start's,
// for the handler to answer in its own words; whether a process already started under the ID
// is an error is the options' to say (errs.AlreadyStarted).
func StartProcess(c *gin.Context, t client.Client, opts client.StartWorkflowOptions, withdraw func(context.Context) error,
	workflow any, args ...any) error {
	_, err := t.ExecuteWorkflow(c, opts, workflow, args...)
	if err == nil {
		return nil
	}
	ctx := context.WithoutCancel(c)
	if _, derr := t.DescribeWorkflowExecution(ctx, opts.ID, ""); derr == nil {
		return nil
	}
	if withdraw != nil {
		if werr := withdraw(ctx); werr != nil {
			Logger(c).Error("a record without its process", zap.String("process", opts.ID), zap.Error(werr))
		}
	}
	return err
}
