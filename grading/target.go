package grading

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// The targets the grading routes name first, for the Authorizer: each answers the school unit
// the target belongs to and the asker's relation to it, read with the register's version in the
// same statement. A target that does not exist is refused like a forbidden one.

// ActivityTarget finds a teaching activity (:activityId): its school unit, whether person
// teaches it (the relation activity-teacher of policy.csv), and whether person holds an open
// grading task of one of its groups, given to them to grade or co-sign (grading-assignee).
func ActivityTarget(ctx context.Context, db *pgxpool.Pool, activity, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var teaches, assignee bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, a.organisation_id::text,
		  EXISTS (SELECT 1 FROM activity_teachers t JOIN duties d ON d.id = t.duty_id
		    WHERE t.activity_id = a.id AND d.person_id = $2 AND `+register.Active("d")+`),
		  EXISTS (SELECT 1 FROM activity_groups ag JOIN tasks t ON t.subject_group = ag.group_id
		    WHERE ag.activity_id = a.id AND t.assignee_id = $2 AND t.state = 'open' AND t.kind IN ('`+KindSet+`', '`+KindCoSign+`'))
		FROM activities a WHERE a.id = $1`, activity, person).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &teaches, &assignee)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Relations = map[string]bool{"activity-teacher": teaches, "grading-assignee": assignee}
	return f, err
}

// PeriodTarget finds a grading period (:periodId): its school unit.
func PeriodTarget(ctx context.Context, db *pgxpool.Pool, period, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, school_unit_id::text
		FROM grading_periods WHERE id = $1`, period).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0])
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	return f, err
}

// GradeTarget finds a grade (:gradeId): its school unit, whether its pupil is protected, and
// whether person set it (the relation grading-teacher).
func GradeTarget(ctx context.Context, db *pgxpool.Pool, grade, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var marking string
	var setIt bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, g.organisation_id::text,
		  p.security_marking, g.grading_teacher = $2
		FROM grades g JOIN persons p ON p.id = g.student_id WHERE g.id = $1`, grade, person).
		Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &marking, &setIt)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Protected = register.Protected(marking)
	f.Relations = map[string]bool{"grading-teacher": setIt}
	return f, err
}
