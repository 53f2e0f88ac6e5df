package attendance

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/policies"
)

// LessonTarget finds what the Authorizer needs about a lesson named by :lessonId for person:
// its school unit, and whether person is its teacher (the relation lesson-teacher of the area's
// policy.csv). A lesson that does not exist is answered with Exists false, and refused like a
// forbidden one.
func LessonTarget(ctx context.Context, db *pgxpool.Pool, lesson, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var teacher bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, school_id::text, teacher_id = $2
		FROM lessons WHERE id = $1`, lesson, person).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &teacher)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Relations = map[string]bool{"lesson-teacher": teacher}
	return f, err
}
