package absence

import (
	"context"
	"time"

	"github.com/skolflow/skolflow/internal/collect"
)

// What the pages show of a pupil's absence, read from the record: the lessons a day's notices
// told of, the guardians' replies and how the mentor classified them, the pupil's absence days,
// and the guardians' reports.

// NoticedLesson is a lesson a notice of the day told of, with what the register says of the
// pupil in it now (a lesson corrected to present shows it).
type NoticedLesson struct {
	ID                    string    `json:"id" db:"id"`
	Group                 string    `json:"group" db:"group_name"` // the group's display name
	Start                 time.Time `json:"start" db:"start_time"`
	End                   time.Time `json:"end" db:"end_time"`
	Status                *string   `json:"status" db:"status"` // attendance.Status; nil when not registered
	ValidAbsenceMinutes   int       `json:"validAbsenceMinutes" db:"valid_absence_minutes"`
	InvalidAbsenceMinutes int       `json:"invalidAbsenceMinutes" db:"invalid_absence_minutes"`
}

// NoticedLessons answers the lessons the notices of an absence day's process told of, in time
// order; none is an empty list.
func (s Store) NoticedLessons(ctx context.Context, processID, pupil string) ([]NoticedLesson, error) {
	return collect.All[NoticedLesson](ctx, s.DB, `
		SELECT l.id::text AS id, g.display_name AS group_name, l.start_time, l.end_time, a.status,
		  coalesce(a.valid_absence_minutes, 0) AS valid_absence_minutes, coalesce(a.invalid_absence_minutes, 0) AS invalid_absence_minutes
		FROM lessons l JOIN groups g ON g.id = l.group_id
		LEFT JOIN attendance a ON a.lesson_id = l.id AND a.person_id = $2
		WHERE l.id IN (SELECT unnest(lesson_ids) FROM absence_notices WHERE process_id = $1)
		ORDER BY l.start_time, l.id`, processID, pupil)
}

// Classifications of a reply: the mentor's, or not yet.
const (
	ClassificationPending = "pending"
	ClassificationValid   = "valid"
	ClassificationInvalid = "invalid"
)

// ReplyOut is a guardian's reply as a viewer sees it: the reason only to the guardian who gave
// it and to staff with need to know (a pupil's other guardian reads that it was answered, not
// what was said), and the mentor's classification of it.
type ReplyOut struct {
	AnsweredAt     time.Time `json:"answeredAt" db:"answered_at"`
	Mine           bool      `json:"mine" db:"mine"`
	Reason         *string   `json:"reason,omitempty" db:"reason"`
	Classification string    `json:"classification" db:"classification"`
}

// Replies answers the replies on record for an absence day's process, in the order they were
// given, each with the classification task it opened: the process takes replies one at a time
// and opens one task for each it takes, so the n-th reply is the n-th task (a refused reply is
// withdrawn from the record).
func (s Store) Replies(ctx context.Context, processID, viewer string, staff bool) ([]ReplyOut, error) {
	return collect.All[ReplyOut](ctx, s.DB, `
		WITH r AS (SELECT guardian_id, reason, created_at, row_number() OVER (ORDER BY created_at, id) AS n
		           FROM absence_replies WHERE process_id = $1),
		     t AS (SELECT state, result->>'classification' AS classification, row_number() OVER (ORDER BY created_at, id) AS n
		           FROM tasks WHERE process_id = $1 AND kind = 'absence.classify')
		SELECT r.created_at AS answered_at, r.guardian_id::text = $2 AS mine,
		  CASE WHEN r.guardian_id::text = $2 OR $3 THEN r.reason END AS reason,
		  CASE WHEN t.state = 'completed' AND t.classification IN ($4, $5) THEN t.classification ELSE $6 END AS classification
		FROM r LEFT JOIN t USING (n) ORDER BY r.n`,
		processID, viewer, staff, ClassificationValid, ClassificationInvalid, ClassificationPending)
}

// AbsenceDaySummary is one of a pupil's absence days with notices, as a list shows it.
type AbsenceDaySummary struct {
	Day string `json:"day" db:"day"`
	// AbsentLessons are the lessons the notices told of that the register still has the pupil
	// absent from: 0 when every one was corrected.
	AbsentLessons int       `json:"absentLessons" db:"absent_lessons"`
	Replied       bool      `json:"replied" db:"replied"`
	LastNoticeAt  time.Time `json:"lastNoticeAt" db:"last_notice_at"`
}

// MaxAbsenceDays is how many of a pupil's absence days a list answers at most.
const MaxAbsenceDays = 30

// AbsenceDays answers the pupil's absence days with notices on record, newest first, at most
// MaxAbsenceDays; none is an empty list.
func (s Store) AbsenceDays(ctx context.Context, pupil string) ([]AbsenceDaySummary, error) {
	return collect.All[AbsenceDaySummary](ctx, s.DB, `
		SELECT n.day::text AS day,
		  (SELECT count(DISTINCT a.lesson_id) FROM absence_notices m, unnest(m.lesson_ids) AS l(id)
		     JOIN attendance a ON a.lesson_id = l.id AND a.person_id = $1 AND a.status = 'absent'
		   WHERE m.process_id = n.process_id AND m.kind = $2) AS absent_lessons,
		  EXISTS (SELECT 1 FROM absence_replies r WHERE r.process_id = n.process_id) AS replied,
		  max(n.created_at) AS last_notice_at
		FROM absence_notices n WHERE n.student_id = $1
		GROUP BY n.day, n.process_id ORDER BY n.day DESC LIMIT $3`, pupil, KindNotice, MaxAbsenceDays)
}

// ReportOut is a guardian's report as a list shows it; who reported is not said.
type ReportOut struct {
	ID          string    `json:"id" db:"id"`
	Start       time.Time `json:"start" db:"start_time"`
	End         time.Time `json:"end" db:"end_time"`
	AbsenceType string    `json:"absenceType" db:"absence_type"`
	Cause       string    `json:"cause,omitempty" db:"cause"` // CauseSick, CauseOther, or "" for not said
	CreatedAt   time.Time `json:"createdAt" db:"created_at"`
}

// MaxReports is how many reports a list answers at most.
const MaxReports = 50

// Reports answers the child's reports that end after since, in the order they start, at most
// MaxReports; none is an empty list.
func (s Store) Reports(ctx context.Context, pupil string, since time.Time) ([]ReportOut, error) {
	return collect.All[ReportOut](ctx, s.DB, `
		SELECT id::text AS id, start_time, end_time, absence_type, coalesce(cause, '') AS cause, created_at FROM absence_reports
		WHERE person_id = $1 AND end_time > $2 ORDER BY start_time, id LIMIT $3`, pupil, since, MaxReports)
}
