package attendance

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/web"
)

// The register of a lesson: the whole class on one form, a fieldset per pupil with present,
// absent or late (and the minutes late), sent at once. The form's fields are named as the API
// names them (registrations/<i>/status), so that what the API finds wrong links to its field.

// registerRow is a pupil on the register page.
type registerRow struct {
	Index       int
	PersonID    string
	Name        string
	Status      Status // as registered, reported or typed; "" for not registered
	MinutesLate string
	// Note is a catalogue key saying why the pupil is absent before the register is taken (a
	// guardian's report, granted leave) or that a registered absence is valid; "" for none.
	Note                      string
	StatusError, MinutesError string
}

// Field is the prefix of the row's fields' names and ids: "registrations/<i>/".
func (r registerRow) Field() string { return field(r.Index, "") }

// IsPresent: the row's choice is present, as it is for a pupil not yet registered.
func (r registerRow) IsPresent() bool { return r.Status == "" || r.Status == Present }

type registerPageData struct {
	Lesson  LessonDetail
	Rows    []registerRow
	MaxLate int    // the most minutes late one can be at this lesson
	Form    bool   // the viewer takes the register and may now: the form is shown
	Notice  string // a plain word of what happened meanwhile (409)
	// RowsHTML is the form's rows, one fieldset a pupil, when the form is shown.
	RowsHTML template.HTML
}

// registerPage shows a lesson's register: a form for its teacher while it may be taken or
// corrected, else the register as it stands.
func registerPage(c *web.Ctx) {
	lesson, rows, err := loadRegister(c)
	if err != nil {
		c.Fail(err)
		return
	}
	showRegister(c, http.StatusOK, registerData(lesson, rows), web.View{})
}

// takeRegister sends the form to the API. What the API finds wrong comes back on the form as
// typed, each wrong pupil's field named in the summary (422); a register changed meanwhile, or
// one that may no longer be corrected, is shown as it stands now with a plain notice (409).
func takeRegister(c *web.Ctx) {
	if err := c.Request.ParseForm(); err != nil {
		c.Fail(err)
		return
	}
	form := c.Request.PostForm
	regs := []map[string]any{}
	for i := 0; form.Has(field(i, "person")); i++ {
		r := map[string]any{"person": form.Get(field(i, "person")), "status": form.Get(field(i, "status"))}
		if form.Get(field(i, "status")) == Late {
			r["minutesLate"] = minutes(form.Get(field(i, "minutesLate")))
		}
		regs = append(regs, r)
	}
	body := map[string]any{"registrations": regs}
	if v := form.Get("version"); v != "" {
		body["basedOn"] = v
	}
	err := c.Send(http.MethodPut, lessonPath(c)+"/attendance", body, nil)
	if err == nil {
		c.Done("/lessons/"+url.PathEscape(c.Param("lessonId"))+"/register", "attendance.register.saved")
		return
	}
	e, wrong := web.Wrong(err)
	switch {
	case web.Conflict(err):
		lesson, rows, err := loadRegister(c)
		if err != nil {
			c.Fail(err)
			return
		}
		d := registerData(lesson, rows)
		d.Notice = c.T("attendance.register.changed")
		if !lesson.RegisterOpen {
			d.Notice = c.T("attendance.register.closed")
		}
		showRegister(c, http.StatusConflict, d, web.View{})
	case wrong:
		lesson, rows, err := loadRegister(c)
		if err != nil {
			c.Fail(err)
			return
		}
		d := registerData(lesson, rows)
		d.Rows = typedRows(d.Rows, form)
		showRegister(c, http.StatusUnprocessableEntity, d, web.View{Errors: problems(c, &d, e.Problem.Errors), Form: form})
	default:
		c.Fail(err)
	}
}

func lessonPath(c *web.Ctx) string { return "/api/v1/lessons/" + url.PathEscape(c.Param("lessonId")) }

// field is the name (and id) of a pupil's field on the form, as the API names it.
func field(i int, name string) string { return fmt.Sprintf("registrations/%d/%s", i, name) }

// minutes is what was typed as minutes late, as the API is to judge it: a whole number, 0 for
// nothing, or else what was typed, which the API names as wrong.
func minutes(typed string) any {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0
	}
	if n, err := strconv.Atoi(typed); err == nil {
		return n
	}
	return typed
}

// loadRegister reads the lesson, its pupils and its register.
func loadRegister(c *web.Ctx) (LessonDetail, []Row, error) {
	var lesson LessonDetail
	if err := c.Get(lessonPath(c), &lesson); err != nil {
		return lesson, nil, err
	}
	var rows []Row
	err := c.Get(lessonPath(c)+"/attendance", &rows)
	return lesson, rows, err
}

// registerData lays out the register: each pupil of the lesson with what the register holds of
// them, a guardian's report or granted leave filled in as absent.
func registerData(lesson LessonDetail, rows []Row) registerPageData {
	length := lesson.End.Sub(lesson.Start)
	d := registerPageData{Lesson: lesson, MaxLate: int(length.Minutes()) - 1, Form: lesson.TakesRegister && lesson.RegisterOpen}
	byPerson := make(map[string]Row, len(rows))
	for _, r := range rows {
		byPerson[r.Person] = r
	}
	for i, p := range lesson.Pupils {
		row := registerRow{Index: i, PersonID: p.ID, Name: strings.TrimSpace(p.GivenName + " " + p.FamilyName)}
		if r, ok := byPerson[p.ID]; ok {
			row.Status = r.Status
			if r.Status == Late {
				row.MinutesLate = strconv.Itoa(int(length.Minutes()) - r.AttendedMinutes)
			}
			row.Note = note(r)
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// note says why a pupil is absent without the teacher's word, or that their absence is valid.
func note(r Row) string {
	switch {
	case !r.Registered && r.AbsenceType == "Beviljad ledighet":
		return "attendance.register.leave"
	case !r.Registered && r.Cause != "":
		return "attendance.register.reported." + r.Cause // sick or other
	case !r.Registered:
		return "attendance.register.reported"
	case r.Status == Absent && r.Reported:
		return "attendance.register.valid"
	}
	return ""
}

// typedRows are the rows as the form was sent: each pupil's choice and minutes as typed.
func typedRows(rows []registerRow, form url.Values) []registerRow {
	names := make(map[string]registerRow, len(rows))
	for _, r := range rows {
		names[r.PersonID] = r
	}
	var out []registerRow
	for i := 0; form.Has(field(i, "person")); i++ {
		id := form.Get(field(i, "person"))
		r := registerRow{Index: i, PersonID: id, Name: names[id].Name, Note: names[id].Note,
			Status: form.Get(field(i, "status")), MinutesLate: form.Get(field(i, "minutesLate"))}
		out = append(out, r)
	}
	return out
}

// problems says in words, pupil by pupil, what the API found wrong, and marks the fields.
func problems(c *web.Ctx, d *registerPageData, wrong []errs.FieldError) []web.FieldProblem {
	var out []web.FieldProblem
	for _, e := range wrong {
		var i int
		var name string
		if _, err := fmt.Sscanf(strings.ReplaceAll(e.Field, "/", " "), "registrations %d %s", &i, &name); err != nil || i < 0 || i >= len(d.Rows) {
			out = append(out, web.FieldProblem{Message: c.T("attendance.register.error.form")})
			continue
		}
		row := &d.Rows[i]
		who := row.Name
		if who == "" {
			who = c.T("attendance.register.pupil", i+1)
		}
		switch name {
		case "minutesLate":
			row.MinutesError = c.T("attendance.register.error.minutesLate", who, d.MaxLate)
			out = append(out, web.FieldProblem{Field: field(i, name), Message: row.MinutesError})
		case "status":
			row.StatusError = c.T("attendance.register.error.status", who)
			out = append(out, web.FieldProblem{Field: field(i, name), Message: row.StatusError})
		default: // the person: not in the group, say
			row.StatusError = c.T("attendance.register.error.person", who)
			out = append(out, web.FieldProblem{Field: field(i, "status"), Message: row.StatusError})
		}
	}
	if len(out) == 0 {
		out = []web.FieldProblem{{Message: c.T("attendance.register.error.form")}}
	}
	return out
}

// showRegister renders the register page with status.
func showRegister(c *web.Ctx, status int, d registerPageData, v web.View) {
	if d.Form {
		d.RowsHTML = rowsHTML(d.Rows, d.MaxLate, rowTexts{present: c.T("attendance.status.present"), absent: c.T("attendance.status.absent"),
			late: c.T("attendance.status.late"), minutes: c.T("attendance.register.minutes"), note: func(key string) string { return c.T(key) }})
	}
	v.Title, v.Data = c.T("attendance.register.title", d.Lesson.Group.DisplayName), d
	c.RenderView(status, "attendance/register", v)
}
