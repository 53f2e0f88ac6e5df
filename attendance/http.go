package attendance

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The area's HTTP handlers: bind, check what the request itself can tell, call the Store,
// respond. Who may call each is decided before, by the area's policy.csv.

type handlers struct{ store Store }

// LessonImport is a school's timetable, or part of it.
type LessonImport struct {
	Lessons []Lesson `json:"lessons"`
}

// importLessons validates every lesson, then writes all or none; the same document twice
// changes nothing. Every problem, of form or of reference, is answered at once.
func (h handlers) importLessons(c *gin.Context) {
	const op = "lessons.import"
	var in LessonImport
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	seen := map[string]bool{}
	for i, l := range in.Lessons {
		at := fmt.Sprintf("lessons/%d/", i)
		if !api.ValidUUID(l.ID) {
			bad.Add(at+"id", "must be a UUID in lower case")
		} else if seen[l.ID] {
			bad.Add(at+"id", "appears twice")
		}
		seen[l.ID] = true
		if !api.ValidUUID(l.Group) {
			bad.Add(at+"group", "must be a UUID")
		}
		if !api.ValidUUID(l.Teacher) {
			bad.Add(at+"teacher", "must be a UUID")
		}
		if l.Start.IsZero() || l.End.IsZero() {
			continue // the document requires both: the middleware named what is missing
		}
		bad.Moment(at+"start", l.Start)
		bad.Moment(at+"end", l.End)
		if field, detail := l.SpanProblem(); field != "" {
			bad.Add(at+field, detail)
		}
	}
	// A lesson whose group or teacher is not a UUID is named above, and not looked up.
	lookUp := func(l Lesson) bool { return api.ValidUUID(l.Group) && api.ValidUUID(l.Teacher) }
	out, err := h.store.ImportLessons(c, c.Param("schoolId"), in.Lessons, lookUp, func(placements []*Placement) error {
		for i, p := range placements {
			at := fmt.Sprintf("lessons/%d/", i)
			if p != nil && !p.GroupHere {
				bad.Add(at+"group", "is not a group of this school")
			}
			if p != nil && !p.TeacherHere {
				bad.Add(at+"teacher", "is not on the staff of this school")
			}
		}
		return bad.Err(op)
	})
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// myLessons lists the lessons of the groups the signed-in teacher teaches or mentors, and their
// own, from `from` (default: today) for `days` days (default TimetableDays, at most
// MaxTimetableDays).
func (h handlers) myLessons(c *gin.Context) {
	const op = "lessons.mine"
	var bad api.Fields
	from := Day(time.Now())
	if s := c.Query("from"); s != "" {
		from = s
		bad.Date("from", s)
	}
	days := TimetableDays
	if s := c.Query("days"); s != "" {
		var err error
		if days, err = strconv.Atoi(s); err != nil || days < 1 || days > MaxTimetableDays {
			bad.Add("days", fmt.Sprintf("must be a whole number from 1 to %d", MaxTimetableDays))
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	start, _ := time.ParseInLocation(time.DateOnly, from, register.SchoolDay)
	out, err := h.store.Timetable(c, api.ViewerOf(c).PersonID, start, days)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// RegistrationInput is the register of a whole lesson: one registration per pupil.
type RegistrationInput struct {
	Registrations []Registration `json:"registrations"`
	// BasedOn is the register's version (LessonDetail.Version) the registration was made from:
	// if the register has changed since, nothing is written (409). Empty: no such check.
	BasedOn string `json:"basedOn,omitempty"`
}

// Registered is a lesson's register as recorded.
type Registered struct {
	Lesson        string `json:"lesson"`
	Registrations []Row  `json:"registrations"`
}

// register records a whole lesson's attendance in one transaction (Store.Register). A
// registration can be corrected the same school day; every pupil absent without a known reason
// is reported to their absence day, which tells the custodial guardians. Registering the same
// lesson again reports the same lessons, which the absence day counts once.
func (h handlers) register(c *gin.Context) {
	const op = "attendance.register"
	var in RegistrationInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	l, registered, err := h.store.LessonToRegister(c, c.Param("lessonId"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	now := time.Now()
	if now.Before(l.Start) {
		api.Abort(c, refuse(op, "", "the lesson has not started"))
		return
	}
	if registered && !Correctable(l.Start, now) {
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("A registration can be corrected only on the day of the lesson.")))
		return
	}
	length := l.Minutes()
	seen := map[string]bool{}
	rows := make([]Row, 0, len(in.Registrations))
	for i, r := range in.Registrations {
		at := fmt.Sprintf("registrations/%d/", i)
		if !api.ValidUUID(r.Person) {
			bad.Add(at+"person", "must be a UUID")
		} else if seen[r.Person] {
			bad.Add(at+"person", "appears twice")
		}
		seen[r.Person] = true
		if field, detail := r.Problem(length); field != "" {
			bad.Add(at+field, detail)
		}
		rows = append(rows, r.Row(length))
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	err = h.store.Register(c, l, rows, api.ViewerOf(c).PersonID, in.BasedOn, func(pupils []Pupil) error {
		for i, p := range pupils {
			if !p.Member {
				bad.Add(fmt.Sprintf("registrations/%d/person", i), "is not in the lesson's group")
			}
		}
		return bad.Err(op)
	})
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, Registered{Lesson: l.ID, Registrations: rows})
}

// lesson answers a lesson with the pupils whose register is taken at it (Store.Lesson), and
// whether the viewer takes it now.
func (h handlers) lesson(c *gin.Context) {
	v := api.ViewerOf(c)
	out, err := h.store.Lesson(c, c.Param("lessonId"), v.SeesProtected)
	if err != nil {
		api.Abort(c, errs.E("lessons.get", err))
		return
	}
	out.TakesRegister = v.Relations["lesson-teacher"]
	out.RegisterOpen = Open(out.Start, out.Registered, time.Now())
	c.JSON(http.StatusOK, out)
}

// lessonAttendance answers a lesson's register (Store.LessonAttendance).
func (h handlers) lessonAttendance(c *gin.Context) {
	out, err := h.store.LessonAttendance(c, c.Param("lessonId"))
	if err != nil {
		api.Abort(c, errs.E("attendance.lesson", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// personAttendance sums a pupil's attendance from `from` to `to` (inclusive dates): one sum, or
// with per=week or per=month one sum for each calendar week (Monday to Sunday) or month the
// period touches, clipped to it (Split).
func (h handlers) personAttendance(c *gin.Context) {
	const op = "attendance.sum"
	var bad api.Fields
	fromDay, toDay, per := c.Query("from"), c.Query("to"), c.Query("per")
	bad.Date("from", fromDay)
	bad.Date("to", toDay)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	from, _ := time.ParseInLocation(time.DateOnly, fromDay, register.SchoolDay)
	to, _ := time.ParseInLocation(time.DateOnly, toDay, register.SchoolDay)
	if to.Before(from) {
		api.Abort(c, refuse(op, "to", "is before from"))
		return
	}
	if per != Whole && to.Sub(from) > MaxSplitDays*24*time.Hour {
		api.Abort(c, refuse(op, "to", fmt.Sprintf("is more than %d days after from", MaxSplitDays)))
		return
	}
	pupil := c.Param("personId")
	if per == Whole {
		sum, err := h.store.Sum(c, pupil, from, to)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		sum.From, sum.To = fromDay, toDay
		c.JSON(http.StatusOK, sum)
		return
	}
	sums, err := h.store.SumsPer(c, pupil, from, to, per)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, Split(from, to, per, sums))
}

// pupilLessons lists a pupil's lessons from `from` to `to` (inclusive dates, at most
// MaxTimetableDays days), each with the pupil's attendance (Store.PupilLessons).
func (h handlers) pupilLessons(c *gin.Context) {
	const op = "lessons.pupil"
	var bad api.Fields
	fromDay, toDay := c.Query("from"), c.Query("to")
	bad.Date("from", fromDay)
	bad.Date("to", toDay)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	from, _ := time.ParseInLocation(time.DateOnly, fromDay, register.SchoolDay)
	to, _ := time.ParseInLocation(time.DateOnly, toDay, register.SchoolDay)
	switch {
	case to.Before(from):
		api.Abort(c, refuse(op, "to", "is before from"))
		return
	case !to.Before(from.AddDate(0, 0, MaxTimetableDays)):
		api.Abort(c, refuse(op, "to", fmt.Sprintf("is %d days or more after from", MaxTimetableDays)))
		return
	}
	out, err := h.store.PupilLessons(c, c.Param("personId"), from, to)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// refuse answers one wrong field, found once the request's form is right.
func refuse(op, field, detail string) error {
	var bad api.Fields
	bad.Add(field, detail)
	return bad.Err(op)
}
