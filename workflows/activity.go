package workflows

import (
	"context"
	"reflect"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// An Activity is a registered activity as a workflow calls it: its name, its input and its
// result, so that the compiler checks every call. The name is what recorded histories carry and
// the worker registers (the method's name on the activities' struct): it never changes.
// Out is None for an activity that returns only an error.
//
// The worker registers methods; the declarations here cannot see them (the activities import
// the workflows' types, not the other way round), so a test (internal/app, TestEveryActivityIsRegistered)
// checks that every declared Activity has a registered method of exactly its types.
type Activity[In, Out any] struct{ name string }

// None is the result of an activity that returns only an error.
type None = struct{}

// DeclareActivity declares the activity registered as name, taking In and returning Out.
// Declare each once, as a package-level variable.
func DeclareActivity[In, Out any](name string) Activity[In, Out] {
	declared.Lock()
	defer declared.Unlock()
	declared.list = append(declared.list, Signature{
		Name: name,
		In:   reflect.TypeFor[In](),
		Out:  reflect.TypeFor[Out](),
	})
	return Activity[In, Out]{name: name}
}

// Name is the activity's registered name.
func (a Activity[In, Out]) Name() string { return a.name }

// The activities that only read or write PostgreSQL are short and idempotent. They run as local
// activities: in the worker, inside the workflow task that asks for them, without a round trip
// through the server to schedule and complete each. That halves the work a process costs the
// Temporal server, which is what bounds throughput at city scale. They are retried without end.
const (
	dbActivityTimeout  = 30 * time.Second
	dbActivityRetry    = time.Second
	dbActivityMaxRetry = time.Minute
)

// Local runs the activity as a local activity with the options above, and waits for its result:
// the database activities and the storing of notifications, all short and idempotent.
func (a Activity[In, Out]) Local(ctx workflow.Context, in In) (Out, error) {
	ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: dbActivityTimeout,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: dbActivityRetry, MaximumInterval: dbActivityMaxRetry},
	})
	return result[Out](ctx, workflow.ExecuteLocalActivity(ctx, a.name, in))
}

// Attempt runs the activity once as a local activity, bounded by timeout: the first try of work
// that leaves the database (a delivery), which mostly succeeds at once and costs the server
// nothing then. A caller that gets an error it may retry goes on with Start.
func (a Activity[In, Out]) Attempt(ctx workflow.Context, in In, timeout time.Duration) (Out, error) {
	ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: timeout,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	})
	return result[Out](ctx, workflow.ExecuteLocalActivity(ctx, a.name, in))
}

// Start schedules the activity as a regular activity with ctx's activity options, for work that
// leaves the database (a delivery) or runs long (a review's query); Result waits for it.
func (a Activity[In, Out]) Start(ctx workflow.Context, in In) Future[Out] {
	return Future[Out]{workflow.ExecuteActivity(ctx, a.name, in)}
}

// Future is a started activity's result to come.
type Future[Out any] struct{ workflow.Future }

// Result waits for the activity and returns its result.
func (f Future[Out]) Result(ctx workflow.Context) (Out, error) { return result[Out](ctx, f.Future) }

func result[Out any](ctx workflow.Context, f workflow.Future) (Out, error) {
	var out Out
	if _, none := any(out).(None); none {
		return out, f.Get(ctx, nil) // an error-only activity has no result to decode
	}
	err := f.Get(ctx, &out)
	return out, err
}

// Signature is a declared activity's name and types, for the registration test.
type Signature struct {
	Name    string
	In, Out reflect.Type
}

var declared struct {
	sync.Mutex
	list []Signature
}

// DeclaredActivities lists every Activity declared in the program, the kernel's and the areas'.
func DeclaredActivities() []Signature {
	declared.Lock()
	defer declared.Unlock()
	return append([]Signature(nil), declared.list...)
}

// Matches reports whether fn, a registered activity function or method value, takes
// (context.Context, In) and returns (Out, error), or only error when Out is None.
func (s Signature) Matches(fn reflect.Type) bool {
	errType := reflect.TypeFor[error]()
	if fn.Kind() != reflect.Func || fn.NumIn() != 2 || fn.In(0) != reflect.TypeFor[context.Context]() || fn.In(1) != s.In {
		return false
	}
	if s.Out == reflect.TypeFor[None]() {
		return fn.NumOut() == 1 && fn.Out(0) == errType
	}
	return fn.NumOut() == 2 && fn.Out(0) == s.Out && fn.Out(1) == errType
}
