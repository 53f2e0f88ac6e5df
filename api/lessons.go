package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/register"
)

// Lessons and the register: the timetable a school imports, and the attendance a teacher takes
// for a whole lesson in one request. Attendance is kept per pupil and lesson in minutes, as
// SS 12000 does; a pupil absent without a known reason starts (or joins) their absence day.

type lessonHandlers struct{ Deps }

// Lesson is one lesson of the timetable.
type Lesson struct {
	ID          string    `json:"id"`
	Group       string    `json:"group"`
	Teacher     string    `json:"teacher"`
	SubjectCode *string   `json:"subjectCode,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
}

// maxLessonLength bounds a lesson: a school day at most. Its minutes then fit attendance's
// integers whatever the sums add up.
const maxLessonLength = 10 * time.Hour

// LessonImport is a school's timetable, or part of it.
type LessonImport struct {
	Lessons []Lesson `json:"lessons"`
}

// importLessons validates every lesson, then writes all or none; the same document twice
// changes nothing.
func (h lessonHandlers) importLessons(c *gin.Context) {
	const op = "lessons.import"
	var in LessonImport
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	school := c.Param("schoolId")
	if len(in.Lessons) == 0 {
		bad.Add("lessons", "is required: at least one lesson")
	}
	seen := map[string]bool{}
	for i, l := range in.Lessons {
		at := fmt.Sprintf("lessons/%d/", i)
		if !validUUID(l.ID) {
			bad.Add(at+"id", "must be a UUID in lower case")
		} else if seen[l.ID] {
			bad.Add(at+"id", "appears twice")
		}
		seen[l.ID] = true
		if !validUUID(l.Group) {
			bad.Add(at+"group", "must be a UUID")
		}
		if !validUUID(l.Teacher) {
			bad.Add(at+"teacher", "must be a UUID")
		}
		if l.SubjectCode != nil {
			bad.Text(at+"subjectCode", *l.SubjectCode, maxSubjectCode)
		}
		if l.Start.IsZero() || l.End.IsZero() {
			bad.Add(at+"start", "start and end are required, as 2026-11-30T08:15:00+01:00")
			continue
		}
		bad.Moment(at+"start", l.Start)
		bad.Moment(at+"end", l.End)
		switch {
		case !l.End.After(l.Start):
			bad.Add(at+"end", "is not after start")
		case l.End.Sub(l.Start) > maxLessonLength:
			bad.Add(at+"end", fmt.Sprintf("is more than %d hours after start", maxLessonLength/time.Hour))
		}
	}
	var inserted, updated int
	err = pgx.BeginFunc(c, h.DB, func(tx pgx.Tx) error {
		// References are checked in the same transaction that writes, so all rows hold together;
		// every problem, of form or reference, is answered at once.
		for i, l := range in.Lessons {
			at := fmt.Sprintf("lessons/%d/", i)
			if !validUUID(l.Group) || !validUUID(l.Teacher) {
				continue // named above
			}
			var groupHere, teacherHere bool
			if err := tx.QueryRow(c, `SELECT
				  EXISTS (SELECT 1 FROM groups WHERE id = $1 AND organisation_id = $3),
				  EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $2 AND d.duty_at = $3 AND `+register.Active("d")+`)`,
				l.Group, l.Teacher, school).Scan(&groupHere, &teacherHere); err != nil {
				return err
			}
			if !groupHere {
				bad.Add(at+"group", "is not a group of this school")
			}
			if !teacherHere {
				bad.Add(at+"teacher", "is not on the staff of this school")
			}
		}
		if err := bad.Err(op); err != nil {
			return err
		}
		for _, l := range in.Lessons {
			var isInsert bool
			err := tx.QueryRow(c, `INSERT INTO lessons (id, group_id, school_id, teacher_id, subject_code, start_time, end_time)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO UPDATE SET group_id = EXCLUDED.group_id, teacher_id = EXCLUDED.teacher_id,
				  subject_code = EXCLUDED.subject_code, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time
				WHERE lessons.school_id = EXCLUDED.school_id
				  AND (lessons.group_id, lessons.teacher_id, lessons.subject_code, lessons.start_time, lessons.end_time)
				  IS DISTINCT FROM (EXCLUDED.group_id, EXCLUDED.teacher_id, EXCLUDED.subject_code, EXCLUDED.start_time, EXCLUDED.end_time)
				RETURNING (xmax = 0)`, l.ID, l.Group, school, l.Teacher, l.SubjectCode, l.Start, l.End).Scan(&isInsert)
			switch {
			case err == pgx.ErrNoRows:
			case err != nil:
				return err
			case isInsert:
				inserted++
			default:
				updated++
			}
		}
		return nil
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"changed": inserted+updated > 0, "inserted": inserted, "updated": updated,
		"unchanged": len(in.Lessons) - inserted - updated})
}

// LessonView is a lesson as a teacher sees it in their timetable.
type LessonView struct {
	ID          string          `json:"id"`
	Group       OrganisationRef `json:"group"`
	Teacher     string          `json:"teacher"`
	SubjectCode *string         `json:"subjectCode"`
	Start       time.Time       `json:"start"`
	End         time.Time       `json:"end"`
}

// myLessons lists the lessons of the groups the signed-in teacher teaches or mentors, and their
// own, from `from` (default: today) for `days` days (default 7, at most 31).
func (h lessonHandlers) myLessons(c *gin.Context) {
	const op = "lessons.mine"
	var bad Fields
	from := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	if s := c.Query("from"); s != "" {
		from = s
		bad.Date("from", s)
	}
	days := 7
	if s := c.Query("days"); s != "" {
		var err error
		if days, err = strconv.Atoi(s); err != nil || days < 1 || days > 31 {
			bad.Add("days", "must be a whole number from 1 to 31")
		}
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	start, _ := time.ParseInLocation(time.DateOnly, from, register.SchoolDay)
	rows, err := h.DB.Query(c, `SELECT l.id::text, json_build_object('id', g.id, 'displayName', g.display_name),
		  l.teacher_id::text, l.subject_code, l.start_time, l.end_time
		FROM lessons l JOIN groups g ON g.id = l.group_id
		WHERE l.start_time >= $2 AND l.start_time < $3
		  AND (l.teacher_id = $1 OR EXISTS (SELECT 1 FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		       WHERE a.group_id = l.group_id AND d.person_id = $1 AND `+register.Active("a")+` AND `+register.Active("d")+`))
		ORDER BY l.start_time`, ViewerOf(c).PersonID, start, start.AddDate(0, 0, days))
	respondRows[LessonView](c, op, rows, err)
}

// Registration is one pupil's attendance at a lesson.
type Registration struct {
	Person      string `json:"person"`
	Status      string `json:"status"`                // present, absent or late
	MinutesLate int    `json:"minutesLate,omitempty"` // for late
}

// AttendanceInput is the register for a whole lesson.
type AttendanceInput struct {
	Registrations []Registration `json:"registrations"`
}

// AttendanceRow is a pupil's recorded attendance, in minutes.
type AttendanceRow struct {
	Person                string `json:"person"`
	Status                string `json:"status"`
	AttendedMinutes       int    `json:"attendedMinutes"`
	ValidAbsenceMinutes   int    `json:"validAbsenceMinutes"`
	InvalidAbsenceMinutes int    `json:"invalidAbsenceMinutes"`
	Reported              bool   `json:"reported"`   // a guardian reported the absence: it is valid
	Registered            bool   `json:"registered"` // false: filled in from a report, not yet taken
	// AbsenceType is the SS 12000 type of a filled-in absence: 'Anmäld frånvaro' (a guardian's
	// report) or 'Beviljad ledighet' (granted leave); empty for a registration.
	AbsenceType string `json:"absenceType,omitempty"`
}

type lessonRow struct {
	group      string
	start, end time.Time
	registered bool
}

// register records a whole lesson's attendance in one transaction. A registration can be
// corrected the same school day; every pupil absent without a known reason is reported to their
// absence day, which tells the custodial guardians, through the absence outbox written in the
// same transaction. Registering the same lesson again reports the same lessons, which the
// absence day counts once.
func (h lessonHandlers) register(c *gin.Context) {
	const op = "attendance.register"
	var in AttendanceInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	id := c.Param("lessonId")
	var l lessonRow
	err = h.DB.QueryRow(c, `SELECT group_id::text, start_time, end_time,
		  EXISTS (SELECT 1 FROM attendance WHERE lesson_id = $1) FROM lessons WHERE id = $1`, id).
		Scan(&l.group, &l.start, &l.end, &l.registered)
	if errors.Is(err, pgx.ErrNoRows) {
		err = errs.E(errs.NotFound, errs.Msg("There is no such resource."))
	}
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	now := time.Now()
	day := l.start.In(register.SchoolDay).Format(time.DateOnly)
	if now.Before(l.start) {
		Abort(c, invalid(op, errs.FieldError{Field: "", Detail: "the lesson has not started"}))
		return
	}
	if l.registered && now.In(register.SchoolDay).Format(time.DateOnly) != day {
		Abort(c, errs.E(op, errs.Conflict, errs.Msg("A registration can be corrected only on the day of the lesson.")))
		return
	}
	length := int(l.end.Sub(l.start).Minutes())
	if len(in.Registrations) == 0 {
		bad.Add("registrations", "is required: one per pupil")
	}
	seen := map[string]bool{}
	rows := make([]AttendanceRow, 0, len(in.Registrations))
	for i, r := range in.Registrations {
		at := fmt.Sprintf("registrations/%d/", i)
		if !validUUID(r.Person) {
			bad.Add(at+"person", "must be a UUID")
		} else if seen[r.Person] {
			bad.Add(at+"person", "appears twice")
		}
		seen[r.Person] = true
		row := AttendanceRow{Person: r.Person, Status: r.Status, Registered: true}
		switch r.Status {
		case "present", "absent":
			if r.MinutesLate != 0 {
				bad.Add(at+"minutesLate", "is only for status late")
			}
			if r.Status == "present" {
				row.AttendedMinutes = length
			} else {
				row.InvalidAbsenceMinutes = length
			}
		case "late":
			if r.MinutesLate < 1 || r.MinutesLate >= length {
				bad.Add(at+"minutesLate", fmt.Sprintf("must be from 1 to %d for this lesson", length-1))
			}
			row.AttendedMinutes, row.InvalidAbsenceMinutes = length-r.MinutesLate, r.MinutesLate
		default:
			bad.Add(at+"status", "must be present, absent or late")
		}
		rows = append(rows, row)
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	err = pgx.BeginFunc(c, h.DB, func(tx pgx.Tx) error {
		pupils, err := h.pupilsOfLesson(c, tx, id, l, rows)
		if err != nil {
			return err
		}
		for i := range rows {
			if !pupils[i].member {
				bad.Add(fmt.Sprintf("registrations/%d/person", i), "is not in the lesson's group")
			}
		}
		if err := bad.Err(op); err != nil {
			return err
		}
		// An absence a guardian has reported is valid absence, and no one is told of it again.
		for i, r := range rows {
			if r.Status == "absent" && pupils[i].reported {
				rows[i].ValidAbsenceMinutes, rows[i].InvalidAbsenceMinutes, rows[i].Reported = length, 0, true
			}
		}
		// What the absence days must hear goes into the outbox in this transaction: the
		// dispatcher tells them (internal/outbox), so the teacher does not wait for it and no
		// absence is lost if Temporal is down. A lesson registered again is counted once there;
		// an absence corrected to present or late is told as a correction.
		var tell, kinds []string
		for i, r := range rows {
			switch {
			case r.Status == "absent" && !r.Reported:
				tell, kinds = append(tell, r.Person), append(kinds, "missed")
			case r.Status != "absent" && pupils[i].wasAbsent:
				tell, kinds = append(tell, r.Person), append(kinds, "attended")
			}
		}
		// One statement for the whole class, and one for the outbox.
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
			id, cols.persons, cols.statuses, cols.attended, cols.valid, cols.invalid, ViewerOf(c).PersonID)
		if len(tell) > 0 {
			batch.Queue(`INSERT INTO absence_outbox (person_id, day, lesson_id, kind)
				SELECT person, $2, $3, kind FROM unnest($1::uuid[], $4::text[]) AS o(person, kind)`, tell, day, id, kinds)
			batch.Queue(`SELECT pg_notify($1, '')`, outbox.Channel)
		}
		return tx.SendBatch(c, batch).Close()
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"lesson": id, "registrations": rows})
}

// pupilOfLesson is what the register says of a registered pupil, in the order of the request.
type pupilOfLesson struct {
	member    bool // in the lesson's group on the day of the lesson
	reported  bool // a guardian's report or granted leave covers the lesson
	wasAbsent bool // registered absent before: now present or late is a correction
}

// pupilsOfLesson answers, in one query, what the register says of each pupil of rows.
func (h lessonHandlers) pupilsOfLesson(c *gin.Context, tx pgx.Tx, lesson string, l lessonRow, rows []AttendanceRow) ([]pupilOfLesson, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Person
	}
	day := l.start.In(register.SchoolDay).Format(time.DateOnly)
	// One registration of a lesson at a time: two at once would both read the register before
	// either wrote, and a correction to present would never reach the absence day.
	batch := &pgx.Batch{}
	batch.Queue(`SELECT 1 FROM lessons WHERE id = $1 FOR UPDATE`, lesson)
	batch.Queue(`SELECT
		  EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = $2 AND m.person_id = p.id
		    AND m.start_date <= $3::date AND (m.end_date IS NULL OR m.end_date >= $3::date)),
		  EXISTS (SELECT 1 FROM absence_reports r WHERE r.person_id = p.id AND r.start_time < $5 AND r.end_time > $4),
		  EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = $6 AND a.person_id = p.id AND a.status = 'absent')
		FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n) ORDER BY n`, ids, l.group, day, l.start, l.end, lesson)
	br := tx.SendBatch(c, batch)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	res, err := br.Query()
	if err != nil {
		return nil, err
	}
	out := make([]pupilOfLesson, 0, len(rows))
	var p pupilOfLesson
	_, err = pgx.ForEachRow(res, []any{&p.member, &p.reported, &p.wasAbsent}, func() error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// attendanceRows are rows as columns, for one INSERT from unnest.
type attendanceRows struct {
	persons, statuses        []string
	attended, valid, invalid []int
}

func attendanceColumns(rows []AttendanceRow) attendanceRows {
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

// lessonAttendance answers a lesson's register: what was taken, and, for pupils not yet
// registered, the absence their guardians reported, filled in as valid.
func (h lessonHandlers) lessonAttendance(c *gin.Context) {
	rows, err := h.DB.Query(c, `
		SELECT a.person_id::text, a.status, a.attended_minutes, a.valid_absence_minutes, a.invalid_absence_minutes,
		  a.valid_absence_minutes > 0, true, ''
		FROM attendance a WHERE a.lesson_id = $1
		UNION ALL
		(SELECT DISTINCT ON (m.person_id) m.person_id::text, 'absent', 0, (extract(epoch FROM l.end_time - l.start_time) / 60)::int, 0,
		  true, false, r.absence_type
		FROM lessons l JOIN group_memberships m ON m.group_id = l.group_id
		JOIN absence_reports r ON r.person_id = m.person_id AND r.start_time < l.end_time AND r.end_time > l.start_time
		WHERE l.id = $1 AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id AND a.person_id = m.person_id)
		ORDER BY m.person_id, r.absence_type DESC) -- granted leave before a report of the same time
		ORDER BY 1`, c.Param("lessonId"))
	respondRows[AttendanceRow](c, "attendance.lesson", rows, err)
}

// AttendanceSum is a pupil's attendance over a period, in minutes: the figure a term grade shows.
type AttendanceSum struct {
	From                  string `json:"from"`
	To                    string `json:"to"`
	ScheduledMinutes      int    `json:"scheduledMinutes"`
	AttendedMinutes       int    `json:"attendedMinutes"`
	ValidAbsenceMinutes   int    `json:"validAbsenceMinutes"`
	InvalidAbsenceMinutes int    `json:"invalidAbsenceMinutes"`
}

// personAttendance sums a pupil's attendance from `from` to `to` (inclusive dates): one sum, or
// with per=week or per=month one sum for each calendar week (Monday to Sunday) or month the
// period touches, clipped to it.
func (h lessonHandlers) personAttendance(c *gin.Context) {
	const op = "attendance.sum"
	var bad Fields
	fromDay, toDay, per := c.Query("from"), c.Query("to"), c.Query("per")
	bad.Date("from", fromDay)
	bad.Date("to", toDay)
	if per != "" && per != "week" && per != "month" {
		bad.Add("per", "must be week or month")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	from, _ := time.ParseInLocation(time.DateOnly, fromDay, register.SchoolDay)
	to, _ := time.ParseInLocation(time.DateOnly, toDay, register.SchoolDay)
	if to.Before(from) {
		Abort(c, invalid(op, errs.FieldError{Field: "to", Detail: "is before from"}))
		return
	}
	if per != "" && to.Sub(from) > 400*24*time.Hour {
		Abort(c, invalid(op, errs.FieldError{Field: "to", Detail: "is more than 400 days after from"}))
		return
	}
	rows, err := h.DB.Query(c, `
		SELECT CASE WHEN $4 = '' THEN '1970-01-01'::date -- one key: one sum for the whole period
		  ELSE date_trunc($4, (l.start_time AT TIME ZONE 'Europe/Stockholm'))::date END,
		  coalesce(sum(extract(epoch FROM l.end_time - l.start_time) / 60), 0)::bigint,
		  coalesce(sum(a.attended_minutes), 0)::bigint, coalesce(sum(a.valid_absence_minutes), 0)::bigint,
		  coalesce(sum(a.invalid_absence_minutes), 0)::bigint
		FROM lessons l
		JOIN group_memberships m ON m.group_id = l.group_id AND m.person_id = $1
		  AND m.start_date <= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date
		  AND (m.end_date IS NULL OR m.end_date >= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date)
		LEFT JOIN attendance a ON a.lesson_id = l.id AND a.person_id = $1
		WHERE l.start_time >= $2 AND l.start_time < $3
		GROUP BY 1`, c.Param("personId"), from, to.AddDate(0, 0, 1), per)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	sums := map[string]AttendanceSum{}
	var start time.Time
	var s AttendanceSum
	_, err = pgx.ForEachRow(rows, []any{&start, &s.ScheduledMinutes, &s.AttendedMinutes, &s.ValidAbsenceMinutes, &s.InvalidAbsenceMinutes},
		func() error {
			sums[start.Format(time.DateOnly)] = s
			return nil
		})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if per == "" {
		var total AttendanceSum
		for _, v := range sums {
			total = v
		}
		total.From, total.To = fromDay, toDay
		c.JSON(http.StatusOK, total)
		return
	}
	out := []AttendanceSum{}
	for p := periodStart(from, per); !p.After(to); p = nextPeriod(p, per) {
		sum := sums[p.Format(time.DateOnly)]
		sum.From = maxTime(p, from).Format(time.DateOnly)
		sum.To = minTime(nextPeriod(p, per).AddDate(0, 0, -1), to).Format(time.DateOnly)
		out = append(out, sum)
	}
	c.JSON(http.StatusOK, out)
}

// periodStart is the Monday of d's week, or the first of d's month.
func periodStart(d time.Time, per string) time.Time {
	if per == "month" {
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
	}
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func nextPeriod(p time.Time, per string) time.Time {
	if per == "month" {
		return p.AddDate(0, 1, 0)
	}
	return p.AddDate(0, 0, 7)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
