package absence

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/register"
)

// Store holds the area's SQL: the notices to the guardians (absence_notices), the guardians'
// reports (absence_reports) and replies (absence_replies), the classification of absence in the
// pupils' attendance, and the investigations (absence_investigations). A guardian's reason stays
// here; the processes get ids.
type Store struct{ DB *pgxpool.Pool }

// StoreNotice records a notice to a pupil's guardians. Idempotent: the notice's (process,
// sequence) key makes a second call a no-op.
func (s Store) StoreNotice(ctx context.Context, n AbsenceNotice) error {
	_, err := s.DB.Exec(ctx, `
		INSERT INTO absence_notices (process_id, sequence, student_id, day, lesson_ids, kind)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (process_id, sequence) DO NOTHING`,
		n.ProcessID, n.Sequence, n.StudentID, n.Day, n.LessonIDs, NoticeKind(n.Correction))
	return err
}

// NoticesSoFar answers how many notices an absence day's process has on record; 0 for none.
func (s Store) NoticesSoFar(ctx context.Context, processID string) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT coalesce(max(sequence), 0) FROM absence_notices WHERE process_id = $1`, processID).Scan(&n)
	return n, err
}

// AbsenceNoticeOut is one stored notice, as the absence day shows it.
type AbsenceNoticeOut struct {
	Sequence  int       `json:"sequence"`
	Kind      string    `json:"kind"` // KindNotice or KindCorrection
	LessonIDs []string  `json:"lessonIds"`
	CreatedAt time.Time `json:"createdAt"`
}

// Notices answers an absence day's notices on record, in the order the process wrote them;
// none is an empty list.
func (s Store) Notices(ctx context.Context, processID string) ([]AbsenceNoticeOut, error) {
	return collect.All[AbsenceNoticeOut](ctx, s.DB, `
		SELECT sequence, kind, lesson_ids::text[] AS lesson_ids, created_at FROM absence_notices
		WHERE process_id = $1 ORDER BY sequence`, processID)
}

// ClassifyValid makes the pupil's invalid absence from the lessons valid: the invalid minutes
// move to valid. Idempotent: a second call finds nothing left to move.
func (s Store) ClassifyValid(ctx context.Context, pupil string, lessons []string) error {
	_, err := s.DB.Exec(ctx, `UPDATE attendance SET valid_absence_minutes = valid_absence_minutes + invalid_absence_minutes,
		  invalid_absence_minutes = 0
		WHERE person_id = $1 AND lesson_id = ANY($2::uuid[]) AND invalid_absence_minutes > 0`, pupil, lessons)
	return err
}

// MissedLesson answers what the register says of the lesson for a report that the pupil missed
// it; found is false when there is no such lesson.
func (s Store) MissedLesson(ctx context.Context, lesson, pupil string) (l MissedLesson, found bool, err error) {
	rows, err := s.DB.Query(ctx, `SELECT (l.start_time AT TIME ZONE 'Europe/Stockholm')::date::text AS day,
		  EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = l.group_id AND m.person_id = $2
		          AND m.start_date <= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date
		          AND (m.end_date IS NULL OR m.end_date >= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date)) AS member,
		  l.start_time <= now() AS started,
		  (SELECT a.status FROM attendance a WHERE a.lesson_id = l.id AND a.person_id = $2) AS status
		FROM lessons l WHERE l.id = $1`, lesson, pupil)
	if err != nil {
		return l, false, err
	}
	l, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[MissedLesson])
	if errors.Is(err, pgx.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// Report is a custodial guardian's report that a child is, or will be, absent (sjukanmälan).
type Report struct {
	ID, PupilID, ReportedBy string
	Start, End              time.Time
	Cause                   string // CauseSick, CauseOther, or "" for not said
}

// What a guardian may say of the absence they report. Whether a child is sick is health data:
// it stays in the register, shown to the child's guardians and teachers, and out of processes.
const (
	CauseSick  = "sick"  // sjukanmälan
	CauseOther = "other" // away for another reason
)

// AddReport records a guardian's report: valid absence of the type Anmäld frånvaro, which
// teachers see filled in in the register. Idempotent: a report already on record under its id
// (ReportID) stays as it is.
func (s Store) AddReport(ctx context.Context, r Report) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO absence_reports (id, person_id, reported_by, start_time, end_time, absence_type, cause)
		VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, '')) ON CONFLICT (id) DO NOTHING`,
		r.ID, r.PupilID, r.ReportedBy, r.Start, r.End, register.ReportedAbsence, r.Cause)
	return err
}

// Reply is a custodial guardian's reason for the absence an absence day's notice told of.
type Reply struct {
	ID, ProcessID, PupilID, GuardianID, Reason string
}

// AddReply records a guardian's reason and answers whether it is new: false when a reply with
// its id (ReplyID) is already on record, which stays as it is.
func (s Store) AddReply(ctx context.Context, r Reply) (added bool, err error) {
	tag, err := s.DB.Exec(ctx, `INSERT INTO absence_replies (id, process_id, person_id, guardian_id, reason) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO NOTHING`, r.ID, r.ProcessID, r.PupilID, r.GuardianID, r.Reason)
	return tag.RowsAffected() == 1, err
}

// WithdrawReply removes a reply that its process refused: the record holds no reason the
// process does not.
func (s Store) WithdrawReply(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM absence_replies WHERE id = $1`, id)
	return err
}

// pupilMonth is a pupil's month of absence as the review reads it.
type pupilMonth struct {
	PupilID, SchoolID string
	MonthOfAbsence
}

// Patterns answers the pupils after q.After, in id order, at most q.Limit, whose absence in the
// calendar month of q.At (CalendarMonth) up to q.At calls for an investigation (Thresholds):
// pupils of the compulsory school types (CompulsorySchoolTypes) enrolled in the month and not
// yet investigated that month by the record. The school is that of the pupil's latest lesson
// in the month. The registered minutes of a lesson add up to its length, so the share is of the
// time the pupil was scheduled and registered for.
func (s Store) Patterns(ctx context.Context, q AbsencePatternQuery) ([]AbsencePattern, error) {
	start, month := CalendarMonth(q.At)
	after := q.After
	if after == "" {
		after = "00000000-0000-0000-0000-000000000000"
	}
	rows, err := s.DB.Query(ctx, `
		SELECT person_id::text AS pupil_id, school_id::text AS school_id, invalid_days, absent_minutes, registered_minutes FROM (
		  SELECT a.person_id, (array_agg(l.school_id ORDER BY l.start_time DESC))[1] AS school_id,
		    count(DISTINCT (l.start_time AT TIME ZONE 'Europe/Stockholm')::date) FILTER (WHERE a.invalid_absence_minutes > 0) AS invalid_days,
		    sum(a.valid_absence_minutes + a.invalid_absence_minutes) AS absent_minutes,
		    sum(a.attended_minutes + a.valid_absence_minutes + a.invalid_absence_minutes) AS registered_minutes
		  FROM lessons l JOIN attendance a ON a.lesson_id = l.id
		  WHERE l.start_time >= $1 AND l.start_time < $2 AND a.person_id > $4::uuid
		  GROUP BY a.person_id
		) m
		WHERE EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.school_type = ANY($5)
		    AND e.start_date <= $2::date AND (e.end_date IS NULL OR e.end_date >= $1::date))
		  -- once a month: the record, not Temporal's retention, says it was investigated
		  AND NOT EXISTS (SELECT 1 FROM absence_investigations i WHERE i.person_id = m.person_id AND i.month = $3)
		ORDER BY person_id`,
		start, q.At, month, after, CompulsorySchoolTypes)
	if err != nil {
		return nil, err
	}
	months, err := pgx.CollectRows(rows, pgx.RowToStructByName[pupilMonth])
	if err != nil {
		return nil, err
	}
	t := Thresholds{SharePercent: q.SharePercent, Repeats: q.Repeats}
	page := []AbsencePattern{}
	for _, m := range months {
		if len(page) == q.Limit {
			break
		}
		if t.Reached(m.MonthOfAbsence) {
			percent, _ := m.AbsentPercent()
			page = append(page, AbsencePattern{PupilID: m.PupilID, SchoolID: m.SchoolID, Month: month,
				InvalidDays: m.InvalidDays, AbsentPercent: percent})
		}
	}
	return page, nil
}

// RecordInvestigation records an investigation's step. Idempotent: the process id keys it, and a
// record never goes back a step (InvestigationSteps), so a second call, or a run of a purged
// key, cannot reopen it.
func (s Store) RecordInvestigation(ctx context.Context, r InvestigationRecord) error {
	p := r.Pattern
	_, err := s.DB.Exec(ctx, `INSERT INTO absence_investigations
		  (process_id, person_id, school_id, month, invalid_days, absent_percent, status, conclusion, opened_at, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, CASE WHEN $7 = $11 THEN $9::timestamptz END)
		ON CONFLICT (process_id) DO UPDATE SET status = EXCLUDED.status, conclusion = EXCLUDED.conclusion,
		  closed_at = EXCLUDED.closed_at
		WHERE array_position($10::text[], EXCLUDED.status) >= array_position($10::text[], absence_investigations.status)`,
		r.ProcessID, p.PupilID, p.SchoolID, p.Month, p.InvalidDays, p.AbsentPercent, r.Status, r.Conclusion, r.At,
		InvestigationSteps, InvestigationClosed)
	return err
}

// AbsenceInvestigation is an absence investigation as the record keeps it (see investigation.go).
type AbsenceInvestigation struct {
	ProcessID     string     `json:"processId"`
	PupilID       string     `json:"pupilId"`
	Month         string     `json:"month"`
	InvalidDays   int        `json:"invalidDays"`
	AbsentPercent int        `json:"absentPercent"`
	Status        string     `json:"status"`
	Conclusion    *string    `json:"conclusion"`
	OpenedAt      time.Time  `json:"openedAt"`
	ClosedAt      *time.Time `json:"closedAt"`
}

// Investigations answers a school's absence investigations, newest first, at most 1000; none is
// an empty list.
func (s Store) Investigations(ctx context.Context, school string) ([]AbsenceInvestigation, error) {
	return collect.All[AbsenceInvestigation](ctx, s.DB, `SELECT process_id, person_id::text AS pupil_id, month, invalid_days, absent_percent, status,
		  conclusion, opened_at, closed_at
		FROM absence_investigations WHERE school_id = $1 ORDER BY opened_at DESC LIMIT 1000`, school)
}

// OrganiserOf answers the organiser (huvudman) a school unit belongs to, "" if none.
func (s Store) OrganiserOf(ctx context.Context, school string) (string, error) {
	return register.OrganiserOf(ctx, s.DB, school)
}
