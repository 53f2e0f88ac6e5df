package activities

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
)

// FindAbsencePatterns adds up, per pupil, the registered attendance of the calendar month of
// q.At (in the schools' time zone) up to q.At, and answers the pupils of the compulsory school
// forms not yet investigated that month, after q.After in id order, whose invalid absence falls
// on q.Repeats days or more or whose valid and invalid absence reach q.SharePercent of the
// registered time. The registered minutes of a lesson add up
// to its length, so the share is of the time the pupil was scheduled and registered for.
func (a *Activities) FindAbsencePatterns(ctx context.Context, q absence.AbsencePatternQuery) ([]absence.AbsencePattern, error) {
	local := q.At.In(register.SchoolDay)
	monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, register.SchoolDay)
	after := q.After
	if after == "" {
		after = "00000000-0000-0000-0000-000000000000"
	}
	rows, err := a.DB.Query(ctx, `
		SELECT person_id::text, school_id::text, $3::text, invalid_days, absent_percent FROM (
		  SELECT a.person_id, (array_agg(l.school_id ORDER BY l.start_time DESC))[1] AS school_id,
		    count(DISTINCT (l.start_time AT TIME ZONE 'Europe/Stockholm')::date) FILTER (WHERE a.invalid_absence_minutes > 0) AS invalid_days,
		    (100 * sum(a.valid_absence_minutes + a.invalid_absence_minutes)
		      / nullif(sum(a.attended_minutes + a.valid_absence_minutes + a.invalid_absence_minutes), 0))::int AS absent_percent
		  FROM lessons l JOIN attendance a ON a.lesson_id = l.id
		  WHERE l.start_time >= $1 AND l.start_time < $2 AND a.person_id > $4::uuid
		  GROUP BY a.person_id
		) m
		WHERE (invalid_days >= $5 OR absent_percent >= $6)
		  -- the duty to investigate is the compulsory school's (skolplikt): förskoleklass,
		  -- grundskola, anpassad grundskola, specialskola and sameskola
		  AND EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id
		    AND e.school_type IN ('FKLASS', 'GR', 'GRS', 'SP', 'SAM')
		    AND e.start_date <= $2::date AND (e.end_date IS NULL OR e.end_date >= $1::date))
		  -- once a month: the record, not Temporal's retention, says it was investigated
		  AND NOT EXISTS (SELECT 1 FROM absence_investigations i WHERE i.person_id = m.person_id AND i.month = $3)
		ORDER BY person_id LIMIT $7`,
		monthStart, q.At, local.Format("2006-01"), after, q.Repeats, q.SharePercent, q.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[absence.AbsencePattern])
}

// RecordInvestigation records an investigation's step. Idempotent: the process id keys it, and a
// record never goes back a step, so a retry, or a run of a purged key, cannot reopen it.
func (a *Activities) RecordInvestigation(ctx context.Context, r absence.InvestigationRecord) error {
	p := r.Pattern
	_, err := a.DB.Exec(ctx, `INSERT INTO absence_investigations
		  (process_id, person_id, school_id, month, invalid_days, absent_percent, status, conclusion, opened_at, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, CASE WHEN $7 = 'closed' THEN $9::timestamptz END)
		ON CONFLICT (process_id) DO UPDATE SET status = EXCLUDED.status, conclusion = EXCLUDED.conclusion,
		  closed_at = EXCLUDED.closed_at
		WHERE array_position(ARRAY['open', 'investigated', 'closed'], EXCLUDED.status)
		   >= array_position(ARRAY['open', 'investigated', 'closed'], absence_investigations.status)`,
		r.ProcessID, p.PupilID, p.SchoolID, p.Month, p.InvalidDays, p.AbsentPercent, r.Status, r.Conclusion, r.At)
	return Permanent(err)
}

// OrganiserOf answers the organiser (huvudman) a school unit belongs to, "" if none.
func (a *Activities) OrganiserOf(ctx context.Context, school string) (string, error) {
	var organiser string
	err := a.DB.QueryRow(ctx, `WITH RECURSIVE up AS (
		  SELECT id, parent_organisation_id, organisation_type FROM organisations WHERE id = $1
		  UNION ALL
		  SELECT o.id, o.parent_organisation_id, o.organisation_type FROM organisations o JOIN up ON o.id = up.parent_organisation_id
		) SELECT coalesce((SELECT id::text FROM up WHERE organisation_type = 'Huvudman' LIMIT 1), '')`, school).Scan(&organiser)
	return organiser, Permanent(err)
}
