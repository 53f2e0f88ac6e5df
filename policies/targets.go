package policies

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/register"
)

// An area of the school whose routes name a target of its own (a lesson, an application) tells
// the Authorizer how to find the facts about it, so that its policy rows can be decided; the
// kernel's switch of targets (authorizer.go) knows only the register's and the kernel's.

// Facts are what the register says about a request's target, for the person asking.
type Facts struct {
	Exists    bool
	Protected bool            // the target is, or concerns, a person with a protection marking
	SchoolIDs []string        // the school units the target belongs to: need to know, and duties held there or above
	Relations map[string]bool // the asker's relations to the target, named as the policy rows name them
	AsOf      register.AsOf   // the register version the facts were read at, in the same statement
}

// A Target finds the Facts about the target a path parameter names (id) for person.
type Target func(ctx context.Context, db *pgxpool.Pool, id, person string) (Facts, error)

// Targets are the areas' targets by path parameter name, e.g. "lessonId".
type Targets map[string]Target

// areaTarget is the target an area's Target finds.
func (a *Authorizer) areaTarget(ctx context.Context, find Target, r Request) (target, error) {
	f, err := find(ctx, a.db, r.ID, r.Person)
	if err != nil || !f.Exists {
		return target{}, err
	}
	t := target{exists: true, protected: f.Protected, own: f.SchoolIDs, asOf: &f.AsOf,
		relations: map[string]bool{"signed-in": true}}
	for name, ok := range f.Relations {
		t.relations[name] = ok
	}
	return t, nil
}
