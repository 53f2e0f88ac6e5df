package register

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Who follows a pupil, as the register says today. The processes of every area ask these.

// CustodialGuardians answers the pupil's custodial guardians today (vårdnadshavare), ordered by
// id: the people who take custody decisions and are told of the pupil's absence. Other
// responsible adults are not among them.
func CustodialGuardians(ctx context.Context, db *pgxpool.Pool, pupil string) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT r.responsible_id::text FROM responsibles r
		WHERE r.person_id = $1 AND `+HasCustody("r")+` AND `+Active("r")+`
		ORDER BY r.responsible_id`, pupil)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// SchoolOf answers the school unit the pupil is enrolled at today (the latest enrolment), or "".
func SchoolOf(ctx context.Context, db *pgxpool.Pool, pupil string) (string, error) {
	var school string
	err := db.QueryRow(ctx, `SELECT coalesce((SELECT e.enroled_at::text FROM enrolments e WHERE e.person_id = $1
		AND `+Active("e")+` ORDER BY e.start_date DESC LIMIT 1), '')`, pupil).Scan(&school)
	return school, err
}

// Mentors answers the mentors today of the groups the pupil is in today, ordered by id.
func Mentors(ctx context.Context, db *pgxpool.Pool, pupil string) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT d.person_id::text FROM group_memberships m
		JOIN group_assignments ga ON ga.group_id = m.group_id AND ga.assignment_role = 'Mentor'
		JOIN duties d ON d.id = ga.duty_id
		WHERE m.person_id = $1 AND `+Active("m")+` AND `+Active("ga")+` AND `+Active("d")+`
		ORDER BY 1`, pupil)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// FullNames answers the given and family name of each of the persons, by id. The caller decides
// whom the reader may know: a name is personal data.
func FullNames(ctx context.Context, db *pgxpool.Pool, persons []string) (map[string]string, error) {
	rows, err := db.Query(ctx, `SELECT id::text, given_name || ' ' || family_name FROM persons WHERE id = ANY($1::uuid[])`, persons)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		names[id] = name
		return nil
	})
	return names, err
}

// RowQuerier is a pool, a connection or a transaction, for a query of one row.
type RowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// OrganiserOf answers the organiser (huvudman) an organisation belongs to, "" if none.
func OrganiserOf(ctx context.Context, db RowQuerier, org string) (string, error) {
	var organiser string
	err := db.QueryRow(ctx, `WITH RECURSIVE up AS (
		  SELECT id, parent_organisation_id, organisation_type FROM organisations WHERE id = $1
		  UNION ALL
		  SELECT o.id, o.parent_organisation_id, o.organisation_type FROM organisations o JOIN up ON o.id = up.parent_organisation_id
		) SELECT coalesce((SELECT id::text FROM up WHERE organisation_type = 'Huvudman' LIMIT 1), '')`, org).Scan(&organiser)
	return organiser, err
}
