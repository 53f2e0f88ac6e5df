package attendance

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/register"
)

// Store holds the area's SQL: the timetable (lessons) and the attendance taken at its lessons
// (attendance), and what a registration hands to the pupils' absence days (absence_outbox).
type Store struct{ DB *pgxpool.Pool }

// Placement is where a lesson of an import stands at its school.
type Placement struct {
	GroupHere   bool // the lesson's group is one of the school's
	TeacherHere bool // the lesson's teacher is on the school's staff today
}

// Imported is what an import changed in the timetable.
type Imported struct {
	Changed   bool `json:"changed"`
	Inserted  int  `json:"inserted"`
	Unchanged int  `json:"unchanged"` // the same as on record, or another school's lesson
	Updated   int  `json:"updated"`
}

// ImportLessons writes lessons into school's timetable in one transaction, all or none. Before
// it writes, it looks up, in the same transaction so that the rows written hold together with
// what was checked, the Placement of each lesson for which lookUp says so, and hands them to
// accept, in the order of lessons (nil where not looked up). If accept returns an error, nothing
// is written and ImportLessons returns it. A lesson on another school's timetable, or the same
// as on record, stays as it is: the same document twice changes nothing.
func (s Store) ImportLessons(ctx context.Context, school string, lessons []Lesson,
	lookUp func(Lesson) bool, accept func([]*Placement) error) (Imported, error) {
	var out Imported
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		placements := make([]*Placement, len(lessons))
		for i, l := range lessons {
			if !lookUp(l) {
				continue
			}
			var p Placement
			if err := tx.QueryRow(ctx, `SELECT
				  EXISTS (SELECT 1 FROM groups WHERE id = $1 AND organisation_id = $3),
				  EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $2 AND d.duty_at = $3 AND `+register.Active("d")+`)`,
				l.Group, l.Teacher, school).Scan(&p.GroupHere, &p.TeacherHere); err != nil {
				return err
			}
			placements[i] = &p
		}
		if err := accept(placements); err != nil {
			return err
		}
		for _, l := range lessons {
			var isInsert bool
			err := tx.QueryRow(ctx, `INSERT INTO lessons (id, group_id, school_id, teacher_id, subject_code, start_time, end_time)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO UPDATE SET group_id = EXCLUDED.group_id, teacher_id = EXCLUDED.teacher_id,
				  subject_code = EXCLUDED.subject_code, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time
				WHERE lessons.school_id = EXCLUDED.school_id
				  AND (lessons.group_id, lessons.teacher_id, lessons.subject_code, lessons.start_time, lessons.end_time)
				  IS DISTINCT FROM (EXCLUDED.group_id, EXCLUDED.teacher_id, EXCLUDED.subject_code, EXCLUDED.start_time, EXCLUDED.end_time)
				RETURNING (xmax = 0)`, l.ID, l.Group, school, l.Teacher, l.SubjectCode, l.Start, l.End).Scan(&isInsert)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
			case err != nil:
				return err
			case isInsert:
				out.Inserted++
			default:
				out.Updated++
			}
		}
		return nil
	})
	if err != nil {
		return Imported{}, err
	}
	out.Changed = out.Inserted+out.Updated > 0
	out.Unchanged = len(lessons) - out.Inserted - out.Updated
	return out, nil
}

// LessonView is a lesson as a teacher sees it in their timetable.
type LessonView struct {
	ID          string    `json:"id" db:"id"`
	Group       GroupRef  `json:"group" db:"group"`
	Teacher     string    `json:"teacher" db:"teacher"`
	SubjectCode *string   `json:"subjectCode" db:"subject_code"`
	Start       time.Time `json:"start" db:"start"`
	End         time.Time `json:"end" db:"end"`
	Registered  bool      `json:"registered" db:"registered"` // its register has been taken
}

// GroupRef names a lesson's group.
type GroupRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Timetable answers the lessons that start in the days from the start of day `from`: those of
// the groups teacher teaches or mentors today, and their own, in the order they start.
func (s Store) Timetable(ctx context.Context, teacher string, from time.Time, days int) ([]LessonView, error) {
	return collect.All[LessonView](ctx, s.DB, `SELECT l.id::text AS id, json_build_object('id', g.id, 'displayName', g.display_name) AS "group",
		  l.teacher_id::text AS teacher, l.subject_code, l.start_time AS start, l.end_time AS "end",
		  EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id) AS registered
		FROM lessons l JOIN groups g ON g.id = l.group_id
		WHERE l.start_time >= $2 AND l.start_time < $3
		  AND (l.teacher_id = $1 OR EXISTS (SELECT 1 FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		       WHERE a.group_id = l.group_id AND d.person_id = $1 AND `+register.Active("a")+` AND `+register.Active("d")+`))
		ORDER BY l.start_time`, teacher, from, from.AddDate(0, 0, days))
}

// LessonToRegister answers the lesson id with its group and times (not its teacher), and
// whether its register has been taken before. Errors: errs.NotFound when there is no such lesson.
func (s Store) LessonToRegister(ctx context.Context, id string) (l Lesson, registered bool, err error) {
	l.ID = id
	err = s.DB.QueryRow(ctx, `SELECT group_id::text, start_time, end_time,
		  EXISTS (SELECT 1 FROM attendance WHERE lesson_id = $1) FROM lessons WHERE id = $1`, id).
		Scan(&l.Group, &l.Start, &l.End, &registered)
	if errors.Is(err, pgx.ErrNoRows) {
		err = errs.E(errs.NotFound, errs.Msg("There is no such resource."))
	}
	return l, registered, err
}

// Register records the attendance rows of lesson l (from LessonToRegister), taken by `by`, in
// one transaction, one registration of a lesson at a time. If basedOn is not empty, it is the
// register's Version that the registration was made from: a register changed since is not
// overwritten (errs.Conflict). It reads what the register says of each pupil of rows, and hands
// it to check, in the order of rows: if check returns an error, nothing is written and Register
// returns it. Then it settles rows in place (Settle), writes them in one statement for the
// whole class, and hands what the pupils' absence days must hear (Tell) to the absence outbox
// (internal/outbox) in the same transaction, so the teacher does not wait for the absence days
// and no absence is lost if Temporal is down.
func (s Store) Register(ctx context.Context, l Lesson, rows []Row, by, basedOn string, check func([]Pupil) error) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		pupils, version, err := pupilsOfLesson(ctx, tx, l, rows)
		if err != nil {
			return err
		}
		if basedOn != "" && basedOn != version {
			return errs.E(errs.Conflict, errs.Msg("The register was changed since it was read; read it again."))
		}
		if err := check(pupils); err != nil {
			return err
		}
		Settle(rows, pupils, l.Minutes())
		tell, kinds := Tell(rows, pupils)
		return tx.SendBatch(ctx, WriteBatch(l, rows, by, tell, kinds)).Close()
	})
}

// WriteBatch is what Register writes for a settled registration: one statement for the whole
// class, and, when the absence days must hear of it (Tell), one for the outbox and a wake-up for
// its dispatcher. BenchmarkRegistration's baseline sends the same batch through bare pgx.
func WriteBatch(l Lesson, rows []Row, by string, tell, kinds []string) *pgx.Batch {
	cols := attendanceColumns(rows)
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO attendance (lesson_id, person_id, status, attended_minutes, valid_absence_minutes,
		  invalid_absence_minutes, registered_by)
		SELECT $1, person, status, attended, valid, invalid, $7
		FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[], $6::int[]) AS r(person, status, attended, valid, invalid)
		ON CONFLICT (lesson_id, person_id) DO UPDATE SET status = EXCLUDED.status,
		  attended_minutes = EXCLUDED.attended_minutes, valid_absence_minutes = EXCLUDED.valid_absence_minutes,
		  invalid_absence_minutes = EXCLUDED.invalid_absence_minutes, registered_by = EXCLUDED.registered_by,
		  registered_at = now()`,
		l.ID, cols.persons, cols.statuses, cols.attended, cols.valid, cols.invalid, by)
	if len(tell) > 0 {
		batch.Queue(`INSERT INTO absence_outbox (person_id, day, lesson_id, kind)
			SELECT person, $2, $3, kind FROM unnest($1::uuid[], $4::text[]) AS o(person, kind)`, tell, Day(l.Start), l.ID, kinds)
		batch.Queue(`SELECT pg_notify($1, '')`, outbox.Channel)
	}
	return batch
}

// pupilsOfLesson answers, in one round trip, what the register says of each pupil of rows, in
// their order, and the register's Version, having locked the lesson: two registrations at once
// would both read the register before either wrote, and a correction to present would never
// reach the absence day.
func pupilsOfLesson(ctx context.Context, tx pgx.Tx, l Lesson, rows []Row) ([]Pupil, string, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Person
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT 1 FROM lessons WHERE id = $1 FOR UPDATE`, l.ID)
	batch.Queue(`SELECT
		  EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = $2 AND m.person_id = p.id
		    AND m.start_date <= $3::date AND (m.end_date IS NULL OR m.end_date >= $3::date)) AS member,
		  EXISTS (SELECT 1 FROM absence_reports r WHERE r.person_id = p.id AND r.start_time < $5 AND r.end_time > $4) AS reported,
		  EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = $6 AND a.person_id = p.id AND a.status = $7) AS was_absent
		FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n) ORDER BY n`, ids, l.Group, Day(l.Start), l.Start, l.End, l.ID, Absent)
	batch.Queue(versionQuery, l.ID)
	br := tx.SendBatch(ctx, batch)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, "", err
	}
	res, err := br.Query()
	if err != nil {
		return nil, "", err
	}
	pupils, err := pgx.CollectRows(res, pgx.RowToStructByName[Pupil])
	if err != nil {
		return nil, "", err
	}
	var version string
	err = br.QueryRow().Scan(&version)
	return pupils, version, err
}

// versionQuery answers a lesson's register Version ($1): a digest of what is registered, pupil
// by pupil, so that it changes when and only when a registration changes what the register says.
const versionQuery = `SELECT md5(coalesce(string_agg(concat_ws(':', person_id, status, attended_minutes,
	  valid_absence_minutes, invalid_absence_minutes), ',' ORDER BY person_id), ''))
	FROM attendance WHERE lesson_id = $1`

// attendanceRows are rows as columns, for one INSERT from unnest.
type attendanceRows struct {
	persons, statuses        []string
	attended, valid, invalid []int
}

func attendanceColumns(rows []Row) attendanceRows {
	var c attendanceRows
	for _, r := range rows {
		c.persons = append(c.persons, r.Person)
		c.statuses = append(c.statuses, r.Status)
		c.attended = append(c.attended, r.AttendedMinutes)
		c.valid = append(c.valid, r.ValidAbsenceMinutes)
		c.invalid = append(c.invalid, r.InvalidAbsenceMinutes)
	}
	return c
}

// LessonAttendance answers a lesson's register, by pupil: what was taken, and, for pupils of the
// lesson's group not yet registered, the absence their guardians reported or leave granted to
// them, filled in as valid (granted leave before a report of the same time).
func (s Store) LessonAttendance(ctx context.Context, lesson string) ([]Row, error) {
	return collect.All[Row](ctx, s.DB, `
		SELECT a.person_id::text AS person, a.status, a.attended_minutes, a.valid_absence_minutes, a.invalid_absence_minutes,
		  a.valid_absence_minutes > 0 AS reported, true AS registered, '' AS absence_type, '' AS cause
		FROM attendance a WHERE a.lesson_id = $1
		UNION ALL
		(SELECT DISTINCT ON (m.person_id) m.person_id::text, $2::text, 0, (extract(epoch FROM l.end_time - l.start_time) / 60)::int, 0,
		  true, false, r.absence_type, coalesce(r.cause, '')
		FROM lessons l JOIN group_memberships m ON m.group_id = l.group_id
		JOIN absence_reports r ON r.person_id = m.person_id AND r.start_time < l.end_time AND r.end_time > l.start_time
		WHERE l.id = $1 AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id AND a.person_id = m.person_id)
		ORDER BY m.person_id, r.absence_type DESC) -- granted leave before a report of the same time
		ORDER BY 1`, lesson, Absent)
}

// Sum answers a pupil's attendance at the lessons of their groups (while they were members) that
// start from the first day to the last (inclusive dates, in the schools' time zone).
func (s Store) Sum(ctx context.Context, pupil string, first, last time.Time) (Sum, error) {
	sums, err := s.sums(ctx, pupil, first, last, Whole)
	var total Sum
	for _, sum := range sums {
		total = sum.Sum
	}
	return total, err
}

// SumsPer answers Sum per week or month: by the first day of each week or month (YYYY-MM-DD)
// that has a lesson of the pupil's groups. From and To are left for Split to clip.
func (s Store) SumsPer(ctx context.Context, pupil string, first, last time.Time, per Per) (map[string]Sum, error) {
	sums, err := s.sums(ctx, pupil, first, last, per)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Sum, len(sums))
	for _, sum := range sums {
		out[sum.Period.Format(time.DateOnly)] = sum.Sum
	}
	return out, nil
}

// periodSum is the sum of the period that starts on Period.
type periodSum struct {
	Period time.Time `db:"period"`
	Sum
}

func (s Store) sums(ctx context.Context, pupil string, first, last time.Time, per Per) ([]periodSum, error) {
	return collect.All[periodSum](ctx, s.DB, `
		SELECT CASE WHEN $4 = '' THEN '1970-01-01'::date -- one key: one sum for the whole period
		  ELSE date_trunc($4, (l.start_time AT TIME ZONE 'Europe/Stockholm'))::date END AS period,
		  coalesce(sum(extract(epoch FROM l.end_time - l.start_time) / 60), 0)::bigint AS scheduled_minutes,
		  coalesce(sum(a.attended_minutes), 0)::bigint AS attended_minutes,
		  coalesce(sum(a.valid_absence_minutes), 0)::bigint AS valid_absence_minutes,
		  coalesce(sum(a.invalid_absence_minutes), 0)::bigint AS invalid_absence_minutes
		FROM lessons l
		JOIN group_memberships m ON m.group_id = l.group_id AND m.person_id = $1
		  AND m.start_date <= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date
		  AND (m.end_date IS NULL OR m.end_date >= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date)
		LEFT JOIN attendance a ON a.lesson_id = l.id AND a.person_id = $1
		WHERE l.start_time >= $2 AND l.start_time < $3
		GROUP BY 1`, pupil, first, last.AddDate(0, 0, 1), per)
}

// LessonDetail is a lesson with what taking its register needs: the pupils of its group on the
// day of the lesson, as the viewer may see them, and the register's Version.
type LessonDetail struct {
	LessonView
	Pupils []register.PersonRef `json:"pupils"`
	// Version is a digest of what the register holds now; a registration sent with it as
	// basedOn is refused (409) if the register has changed since.
	Version string `json:"version"`
	// TakesRegister: the viewer is the lesson's teacher, who takes its register.
	TakesRegister bool `json:"takesRegister"`
	// RegisterOpen: the register may be taken, or corrected, now (Open).
	RegisterOpen bool `json:"registerOpen"`
}

// Lesson answers lesson id with the pupils of its group on the day of the lesson, by name, and
// its register's Version; errs.NotFound when there is none. Pupils with a protection marking are
// left out unless seesProtected (Decision.SeesProtected).
func (s Store) Lesson(ctx context.Context, id string, seesProtected bool) (LessonDetail, error) {
	view, err := collect.One[LessonView](ctx, s.DB, `SELECT l.id::text AS id,
		  json_build_object('id', g.id, 'displayName', g.display_name) AS "group",
		  l.teacher_id::text AS teacher, l.subject_code, l.start_time AS start, l.end_time AS "end",
		  EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id) AS registered
		FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.id = $1`, id)
	if err != nil {
		return LessonDetail{}, err
	}
	out := LessonDetail{LessonView: view}
	out.Pupils, err = collect.All[register.PersonRef](ctx, s.DB, `SELECT p.id::text AS id, p.given_name, p.family_name
		FROM persons p JOIN group_memberships m ON m.person_id = p.id
		WHERE m.group_id = $1 AND m.start_date <= $2::date AND (m.end_date IS NULL OR m.end_date >= $2::date)
		  AND ($3 OR `+register.Unprotected("p")+`)
		ORDER BY p.family_name, p.given_name`, view.Group.ID, Day(view.Start), seesProtected)
	if err != nil {
		return LessonDetail{}, err
	}
	err = s.DB.QueryRow(ctx, versionQuery, id).Scan(&out.Version)
	return out, err
}

// PupilLesson is a lesson of a pupil's timetable, with the pupil's attendance at it.
type PupilLesson struct {
	ID          string    `json:"id" db:"id"`
	Group       GroupRef  `json:"group" db:"group"`
	SubjectCode *string   `json:"subjectCode" db:"subject_code"`
	Start       time.Time `json:"start" db:"start"`
	End         time.Time `json:"end" db:"end"`
	// Attendance is the pupil's registration, or, before the register is taken, the absence
	// their guardians reported or leave granted to them (as LessonAttendance fills it in); null
	// when neither.
	Attendance *Row `json:"attendance" db:"attendance"`
}

// PupilLessons answers the lessons of the pupil's groups (while they are members) that start
// from the first day to the last (inclusive dates, in the schools' time zone), in the order they
// start, each with the pupil's attendance.
func (s Store) PupilLessons(ctx context.Context, pupil string, first, last time.Time) ([]PupilLesson, error) {
	return collect.All[PupilLesson](ctx, s.DB, `SELECT l.id::text AS id,
		  json_build_object('id', g.id, 'displayName', g.display_name) AS "group",
		  l.subject_code, l.start_time AS start, l.end_time AS "end",
		  CASE WHEN a.person_id IS NOT NULL THEN json_build_object('person', a.person_id, 'status', a.status,
		      'attendedMinutes', a.attended_minutes, 'validAbsenceMinutes', a.valid_absence_minutes,
		      'invalidAbsenceMinutes', a.invalid_absence_minutes, 'reported', a.valid_absence_minutes > 0, 'registered', true)
		    WHEN r.absence_type IS NOT NULL THEN json_build_object('person', $1::uuid, 'status', $4::text,
		      'attendedMinutes', 0, 'validAbsenceMinutes', (extract(epoch FROM l.end_time - l.start_time) / 60)::int,
		      'invalidAbsenceMinutes', 0, 'reported', true, 'registered', false, 'absenceType', r.absence_type)
		  END AS attendance
		FROM lessons l JOIN groups g ON g.id = l.group_id
		JOIN group_memberships m ON m.group_id = l.group_id AND m.person_id = $1
		  AND m.start_date <= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date
		  AND (m.end_date IS NULL OR m.end_date >= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date)
		LEFT JOIN attendance a ON a.lesson_id = l.id AND a.person_id = $1
		LEFT JOIN LATERAL (SELECT r.absence_type FROM absence_reports r
		  WHERE r.person_id = $1 AND r.start_time < l.end_time AND r.end_time > l.start_time
		  ORDER BY r.absence_type DESC LIMIT 1) r ON true -- granted leave before a report of the same time
		WHERE l.start_time >= $2 AND l.start_time < $3
		ORDER BY l.start_time, g.display_name`, pupil, first, last.AddDate(0, 0, 1), Absent)
}
