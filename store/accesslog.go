package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5/pgxpool"
)

// AccessEntry is one authorization decision about a non-public route, for the access log.
type AccessEntry struct {
	Actor, Method, Route string
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
	params, allowed := make([]string, n), make([]bool, n)
	for i, e := range entries {
		actors[i], methods[i], routes[i], requests[i] = e.Actor, e.Method, e.Route, e.RequestID
		kinds[i], ids[i], allowed[i] = e.TargetKind, e.TargetID, e.Allowed
		b, err := json.Marshal(e.Params)
		if err != nil {
			return err
		}
		params[i] = string(b)
	}
	_, err := db.Exec(ctx, `INSERT INTO access_log (actor_id, method, route, target_kind, target_id, params, allowed, request_id)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::boolean[], $8::text[])`,
		actors, methods, routes, kinds, ids, params, allowed, requests)
	return err
}
