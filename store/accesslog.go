package store

import (
	"cmp"
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5/pgxpool"
)

// AccessEntry is one authorization decision about a non-public route, for the access log.
type AccessEntry struct {
	Actor, Method, Route string
	ActorKind            string  // "person" (when empty) or "client": a machine client of SS 12000
	TargetKind, TargetID *string // the route's target (its first path parameter), or nil
	Params               map[string]string
	Allowed              bool
	RequestID            string
}

// AppendAccessLog writes the entries to access_log in one statement: all or none.
func AppendAccessLog(ctx context.Context, db *pgxpool.Pool, entries []AccessEntry) error {
	n := len(entries)
	actors, methods, routes, requests := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	kinds, ids := make([]*string, n), make([]*string, n)
	params, allowed, actorKinds := make([]string, n), make([]bool, n), make([]string, n)
	for i, e := range entries {
		actorKinds[i] = cmp.Or(e.ActorKind, "person")
		actors[i], methods[i], routes[i], requests[i] = e.Actor, e.Method, e.Route, e.RequestID
		kinds[i], ids[i], allowed[i] = e.TargetKind, e.TargetID, e.Allowed
		b, err := json.Marshal(e.Params)
		if err != nil {
			return err
		}
		params[i] = string(b)
	}
	_, err := db.Exec(ctx, `INSERT INTO access_log (actor_id, method, route, target_kind, target_id, params, allowed, request_id, actor_kind)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::boolean[], $8::text[], $9::text[])`,
		actors, methods, routes, kinds, ids, params, allowed, requests, actorKinds)
	return err
}
