package ss12000

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The writes the standard defines for the systems that report attendance go into the same
// areas as the platform's own register, by the same functions: a pupil's attendance at a lesson
// is registered as a teacher registers it (attendance.Store.Register), so that an absence
// without a known reason starts the same-day notice; a guardian's report of absence is filed as
// the guardian files it (absence.FileReport), so that the other guardians are told. A client
// needs the grant attendances.report or absences.report at the pupil's school. A lesson, or a
// pupil, outside its grant is answered 404, as one that does not exist.

// reference is an ObjectReference in a request.
type reference struct {
	ID string `json:"id"`
}

// ptr is the reference's id, or nil for none.
func (r *reference) ptr() *string {
	if r == nil || r.ID == "" {
		return nil
	}
	return &r.ID
}

func (r *reference) id() string {
	if r == nil {
		return ""
	}
	return r.ID
}

// attendanceReport is the standard's Attendance as a system reports it.
type attendanceReport struct {
	CalendarEvent         *reference `json:"calendarEvent"`
	Student               *reference `json:"student"`
	Reporter              *reference `json:"reporter"`
	IsReported            *bool      `json:"isReported"`
	AttendanceMinutes     *int       `json:"attendanceMinutes"`
	ValidAbsenceMinutes   *int       `json:"validAbsenceMinutes"`
	InvalidAbsenceMinutes *int       `json:"invalidAbsenceMinutes"`
}

// absenceReport is the standard's Absence as a system reports it for a guardian.
type absenceReport struct {
	StartTime    *time.Time `json:"startTime"`
	EndTime      *time.Time `json:"endTime"`
	Type         string     `json:"type"`
	Student      *reference `json:"student"`
	RegisteredBy *reference `json:"registeredBy"`
}

// decode reads a request's body, one JSON object of at most 64 KiB, into v.
func decode(c *gin.Context, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10))
	if err := dec.Decode(v); err != nil || dec.More() {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return invalid(errs.FieldError{Field: "body", Detail: "is larger than 64 KiB"})
		}
		return invalid(errs.FieldError{Field: "body", Detail: "must be one JSON object of the standard's " + "shape"})
	}
	return nil
}

// notFound answers a write about something the client may not reach, naming what.
func notFound(field string) error {
	return errs.E("ss12000.write", errs.NotFound, errs.Msg("There is no such resource."),
		[]errs.FieldError{{Field: field, Detail: "names nothing you may reach here"}})
}

// target is an object a write names, by the field that names it.
type target struct {
	r         *resource
	id, field string
}

// reachAll answers nil if the client may be answered about every target, else the not found of
// the first it may not.
func (h handlers) reachAll(c *gin.Context, targets ...target) error {
	for _, t := range targets {
		ok, err := h.reaches(c, t.r, t.id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound(t.field)
		}
	}
	return nil
}

// reaches reports whether the client may be answered about an object of r by its id.
func (h handlers) reaches(c *gin.Context, r *resource, id string) (bool, error) {
	orgs, protected := scope(c)
	found, err := h.objects(c, r, listQuery{}, orgs, protected, map[string][]string{"ids": {id}})
	return len(found) > 0, err
}

func (h handlers) reportAttendance(c *gin.Context) {
	const op = "ss12000.attendances.report"
	var in attendanceReport
	if err := decode(c, &in); err != nil {
		api.Abort(c, err)
		return
	}
	var bad []errs.FieldError
	add := func(field, detail string) { bad = append(bad, errs.FieldError{Field: field, Detail: detail}) }
	lessonID, student := in.CalendarEvent.id(), in.Student.id()
	if checkUUID(lessonID) != "" {
		add("calendarEvent.id", "must be a UUID")
	}
	if checkUUID(student) != "" {
		add("student.id", "must be a UUID")
	}
	if in.Reporter != nil && checkUUID(in.Reporter.ID) != "" {
		add("reporter.id", "must be a UUID")
	}
	if in.IsReported == nil || !*in.IsReported {
		add("isReported", "must be true: attendance not yet reported is not written")
	}
	if in.AttendanceMinutes == nil || *in.AttendanceMinutes < 0 {
		add("attendanceMinutes", "must be the minutes attended, 0 or more")
	}
	if len(bad) > 0 {
		api.Abort(c, invalid(bad...))
		return
	}
	if err := h.reachAll(c, target{calendarEvents, lessonID, "calendarEvent.id"}, target{persons, student, "student.id"}); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	l, registered, err := h.lessons.LessonToRegister(c, lessonID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	now, length := time.Now(), l.Minutes()
	switch attended := *in.AttendanceMinutes; {
	case now.Before(l.Start):
		add("calendarEvent.id", "has not started")
	case registered && !attendance.Correctable(l.Start, now):
		add("calendarEvent.id", "was registered on an earlier day: a registration is corrected only on the day of the lesson")
	case attended > length:
		add("attendanceMinutes", "is more than the lesson's minutes")
	}
	if len(bad) > 0 {
		api.Abort(c, invalid(bad...))
		return
	}
	// Minutes attended say the status: all of the lesson is present, none absent, some late.
	reg := attendance.Registration{Person: student, Status: attendance.Present}
	switch attended := *in.AttendanceMinutes; {
	case attended == 0:
		reg.Status = attendance.Absent
	case attended < length:
		reg.Status, reg.MinutesLate = attendance.Late, length-attended
	}
	// The register is taken by the reporter the system names, or else the lesson's teacher.
	var by string
	if err := h.db.QueryRow(c, `SELECT teacher_id::text FROM lessons WHERE id = $1`, lessonID).Scan(&by); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if in.Reporter != nil {
		by = in.Reporter.ID
		ok, err := h.staffAt(c, by, lessonID)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		if !ok {
			api.Abort(c, invalid(errs.FieldError{Field: "reporter.id", Detail: "is not staff of the lesson's school"}))
			return
		}
	}
	err = h.lessons.Register(c, l, []attendance.Row{reg.Row(length)}, by, "", func(pupils []attendance.Pupil) error {
		if !pupils[0].Member {
			return invalid(errs.FieldError{Field: "student.id", Detail: "is not in the lesson's group"})
		}
		return nil
	})
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var id string
	if err := h.db.QueryRow(c, `SELECT id::text FROM attendance WHERE lesson_id = $1 AND person_id = $2`, lessonID, student).Scan(&id); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, attendances, id)
}

// staffAt reports whether person holds a duty today at the school of the lesson.
func (h handlers) staffAt(c *gin.Context, person, lesson string) (bool, error) {
	var ok bool
	err := h.db.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM lessons l JOIN duties d ON d.duty_at = l.school_id
		WHERE l.id = $1 AND d.person_id = $2 AND `+register.Active("d")+`)`, lesson, person).Scan(&ok)
	return ok, err
}

func (h handlers) reportAbsence(c *gin.Context) {
	const op = "ss12000.absences.report"
	var in absenceReport
	if err := decode(c, &in); err != nil {
		api.Abort(c, err)
		return
	}
	var bad []errs.FieldError
	add := func(field, detail string) { bad = append(bad, errs.FieldError{Field: field, Detail: detail}) }
	student, guardian := in.Student.id(), in.RegisteredBy.id()
	if checkUUID(student) != "" {
		add("student.id", "must be a UUID")
	}
	if checkUUID(guardian) != "" {
		add("registeredBy.id", "must be the UUID of the custodial guardian who reports")
	}
	if in.Type != register.ReportedAbsence {
		add("type", "must be "+register.ReportedAbsence+": leave (Beviljad ledighet) is applied for and decided in Skolflow")
	}
	if in.StartTime == nil {
		add("startTime", "is required")
	}
	if in.EndTime == nil {
		add("endTime", "is required")
	}
	if in.StartTime != nil && in.EndTime != nil {
		if field, detail := absence.PeriodProblem(*in.StartTime, *in.EndTime); field != "" {
			add(field+"Time", detail)
		}
	}
	if len(bad) > 0 {
		api.Abort(c, invalid(bad...))
		return
	}
	orgs, protected := scope(c)
	q := newStatement(orgs, protected)
	var child bool
	if err := h.db.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM persons xp JOIN (SELECT `+q.arg(student)+`::uuid AS person_id) x ON x.person_id = xp.id
		WHERE ($1::uuid[] IS NULL OR `+sprintf(childAt, "$1")+`) AND ($2 OR xp.security_marking = 'Ingen'))`, q.args...).Scan(&child); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if !child {
		api.Abort(c, notFound("student.id"))
		return
	}
	guardians, err := register.CustodialGuardians(c, h.db, student)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if !slices.Contains(guardians, guardian) {
		api.Abort(c, invalid(errs.FieldError{Field: "registeredBy.id", Detail: "is not a custodial guardian of the student"}))
		return
	}
	r := absence.Report{PupilID: student, ReportedBy: guardian, Start: *in.StartTime, End: *in.EndTime}
	r.ID = absence.ReportID(r.PupilID, r.Start, r.End)
	if err := absence.FileReport(c, absence.Store{DB: h.db}, h.env, r); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, absences, r.ID)
}

// answer writes the object of r with id as the client sees it: what a write answers.
func (h handlers) answer(c *gin.Context, r *resource, id string) {
	orgs, protected := scope(c)
	found, err := h.objects(c, r, listQuery{}, orgs, protected, map[string][]string{"ids": {id}})
	if err != nil || len(found) == 0 {
		api.Abort(c, errs.E("ss12000.write", errs.Internal, errors.Join(err, errors.New("the written object is not found"))))
		return
	}
	c.JSON(http.StatusOK, found[0])
}
