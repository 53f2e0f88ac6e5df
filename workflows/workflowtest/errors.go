package workflowtest

import (
	"errors"

	"go.temporal.io/sdk/temporal"
)

// ErrType answers the type of an application error, such as workflows.ErrTaskConflict, or ""
// for any other error: how a test tells what a process's refusal of an Update says.
func ErrType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}
