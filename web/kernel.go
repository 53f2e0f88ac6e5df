package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// The kernel's pages: the start page, the task inbox (every area's tasks, each answered with
// the fields its step expects), the notifications, the person's settings and a process's
// history.

var kernelMenu = []MenuEntry{{Path: "/", Label: "menu.home"}}

var kernelMenuLast = []MenuEntry{
	{Path: "/tasks", Label: "menu.tasks"},
	{Path: "/notifications", Label: "menu.notifications"},
	{Path: "/settings", Label: "menu.settings"},
}

func kernelRoutes(r *Router) {
	r.POST("/language", r.w.setLanguage)
	r.GET("/", home)
	r.GET("/tasks", taskInbox)
	r.POST("/tasks/:taskId", completeTask)
	r.POST("/tasks/:taskId/reassign", reassignTask)
	r.GET("/notifications", notifications)
	r.GET("/notifications/:notificationId", notification)
	r.GET("/settings", settings)
	r.POST("/settings", saveSettings)
	r.GET("/processes/:processId", process)
}

type homePage struct {
	Sections     []template.HTML
	OpenTasks    int
	UnreadNotice int
}

// home is the start page: what waits for the person, and each area's part.
func home(c *Ctx) {
	var p homePage
	var tasks []store.TaskView
	if err := c.Get("/api/v1/tasks?state=open", &tasks); err != nil {
		c.Fail(err)
		return
	}
	p.OpenTasks = len(tasks)
	var notes []store.NotificationView
	if err := c.Get("/api/v1/notifications", &notes); err != nil {
		c.Fail(err)
		return
	}
	for _, n := range notes {
		if n.ReadAt == nil {
			p.UnreadNotice++
		}
	}
	var err error
	if p.Sections, err = c.Sections(SlotHome); err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "web/home", "home.title", p)
}

// TaskCard is a task as the inbox shows it: a sentence saying what is asked, about whom and by
// when, and the form that answers it.
type TaskCard struct {
	store.TaskView
	Sentence string
	Fields   []workflows.Field
	Details  string // the page where what the task is about can be read, or ""
	// Reassign is whom a principal may give the task to (reassign.go): the staff of its school
	// who hold a role in its heldBy. Empty: no form.
	Reassign []StaffOption
	// Sent: this task's form was sent and is shown again, as typed, with what was wrong.
	Sent bool
}

// taskInbox lists the person's open tasks, each with its form.
func taskInbox(c *Ctx) { showTasks(c, http.StatusOK, View{}, "") }

// showTasks shows the inbox with v's notice (Flash), and the form of task sent shown again with
// v's errors and what was typed (v.Form); sent is "" when no form is shown again.
func showTasks(c *Ctx, status int, v View, sent string) {
	var tasks []store.TaskView
	if err := c.Get("/api/v1/tasks?state=open", &tasks); err != nil {
		c.Fail(err)
		return
	}
	cards := make([]TaskCard, 0, len(tasks))
	names := map[string]string{}
	staff := map[string][]staffMember{}
	for _, t := range tasks {
		who := ""
		if t.SubjectPerson != nil {
			who = c.PersonName(names, *t.SubjectPerson)
		}
		due := ""
		if t.DueAt != nil {
			due = c.T("task.due", formatDate(c.w.texts, c.Lang(), *t.DueAt), t.DueAt.In(register.SchoolDay).Format("15:04"))
		}
		card := TaskCard{TaskView: t, Sentence: strings.Join(strings.Fields(c.T("task."+t.Kind, who)+" "+due), " "), Fields: t.Expects,
			Reassign: c.reassignOptions(staff, t), Sent: t.ID == sent}
		if page := c.w.taskPages[t.Kind]; page != nil {
			card.Details = page(t)
		}
		cards = append(cards, card)
	}
	v.Title, v.Data = c.T("tasks.title"), cards
	c.RenderView(status, "web/tasks", v)
}

// PersonName answers how the person is named to the viewer (as the API shows them), by id,
// remembering each in names; "" if the viewer may not know.
func (c *Ctx) PersonName(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	var p struct {
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
	}
	name := ""
	if err := c.Get("/api/v1/persons/"+url.PathEscape(id), &p); err == nil {
		name = strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	}
	names[id] = name
	return name
}

// completeTask answers a task with the fields of its form. A task done elsewhere meanwhile
// shows the inbox as it is now, saying so (409).
func completeTask(c *Ctx) {
	err := c.Send(http.MethodPost, "/api/v1/tasks/"+url.PathEscape(c.Param("taskId"))+"/complete",
		map[string]any{"payload": c.TaskPayload()}, nil)
	e, wrong := Wrong(err)
	switch {
	case err == nil:
		c.Done("/tasks", "tasks.done")
	case Conflict(err):
		showTasks(c, http.StatusConflict, View{Flash: c.T("tasks.conflict")}, "")
	case wrong:
		id := c.Param("taskId")
		showTasks(c, http.StatusUnprocessableEntity, View{Errors: c.taskProblems(id, e.Problem.Errors), Form: c.Request.PostForm}, id)
	default:
		c.Fail(err)
	}
}

// taskProblems says in words what is wrong with each field of task id's answer, linked to the
// field (id "<task>-<field>"): in the words of the catalogue's "tasks.error.<field>" where an
// area wrote them, else "tasks.invalid".
func (c *Ctx) taskProblems(id string, wrong []errs.FieldError) []FieldProblem {
	var out []FieldProblem
	for _, e := range wrong {
		name, ok := strings.CutPrefix(e.Field, "payload/")
		key := "tasks.error." + name
		if !ok || !c.w.texts.Has(key) {
			key = "tasks.invalid"
		}
		out = append(out, FieldProblem{Field: id + "-" + name, Message: c.T(key)})
	}
	if len(out) == 0 {
		out = []FieldProblem{{Message: c.T("tasks.invalid")}}
	}
	return out
}

func notifications(c *Ctx) {
	var notes []store.NotificationView
	if err := c.Get("/api/v1/notifications", &notes); err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "web/notifications", "notifications.title", notes)
}

// notification shows one notification, and marks it read: opening it is reading it.
func notification(c *Ctx) {
	var notes []store.NotificationView
	if err := c.Get("/api/v1/notifications", &notes); err != nil {
		c.Fail(err)
		return
	}
	id := c.Param("notificationId")
	for _, n := range notes {
		if n.ID != id {
			continue
		}
		if n.ReadAt == nil {
			if err := c.Send(http.MethodPost, "/api/v1/notifications/"+url.PathEscape(id)+"/read", nil, nil); err != nil {
				c.Fail(err)
				return
			}
		}
		c.RenderView(http.StatusOK, "web/notification", View{Title: n.Subject, Data: n})
		return
	}
	c.Fail(errNotFound)
}

// Contact is the person's notification settings as the API has them.
type Contact struct {
	Language string   `json:"language"`
	Email    *string  `json:"email"`
	Phone    *string  `json:"phone"`
	Channels []string `json:"channels"`
}

type settingsPage struct {
	Contact  Contact
	Channels []string
}

// channels are the notification channels one may choose.
var channels = []string{"email", "sms"}

func settings(c *Ctx) {
	var ct Contact
	if err := c.Get("/api/v1/me/contact", &ct); err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "web/settings", "settings.title", settingsPage{Contact: ct, Channels: channels})
}

func saveSettings(c *Ctx) {
	ct := Contact{Language: c.PostForm("language"), Channels: []string{}}
	if e := strings.TrimSpace(c.PostForm("email")); e != "" {
		ct.Email = &e
	}
	if p := strings.TrimSpace(c.PostForm("phone")); p != "" {
		ct.Phone = &p
	}
	for _, ch := range c.PostFormArray("channels") {
		ct.Channels = append(ct.Channels, ch)
	}
	err := c.Send(http.MethodPut, "/api/v1/me/contact", ct, nil)
	if err != nil {
		if c.Invalid(err, "web/settings", View{Title: c.T("settings.title"), Data: settingsPage{Contact: ct, Channels: channels}}) {
			return
		}
		c.Fail(err)
		return
	}
	if err := c.w.sessions.setLanguage(c.Request.Context(), c.Session, language(ct.Language)); err != nil {
		c.Fail(err)
		return
	}
	c.Session.Language = language(ct.Language)
	c.Done("/settings", "settings.saved")
}

type processPage struct {
	store.ProcessView
	Pupil string // the pupil it is about, as the viewer may know them; "" for none
	Lines []HistoryLine
}

// process shows a process's history: who did what, when, in words (history.go).
func process(c *Ctx) {
	var p store.ProcessView
	if err := c.Get("/api/v1/processes/"+url.PathEscape(c.Param("processId")), &p); err != nil {
		c.Fail(err)
		return
	}
	names := map[string]string{}
	page := processPage{ProcessView: p}
	if p.SubjectPerson != nil {
		page.Pupil = c.knowPupil(names, *p.SubjectPerson)
	}
	page.Lines = c.historyLines(p, names)
	c.Render(http.StatusOK, "web/process", "process.title", page)
}

// Sections renders every area's section for slot, in the order of the areas. A section that
// fails is left out, and the rest of the page is shown: one area's trouble does not take the
// start page or a child's page with it. A section the API refuses (403, 404) is simply not
// there; one that fails otherwise is logged and stands as a plain word that this part could
// not be shown, with the request's ID. It errs only when that word itself cannot be rendered.
func (c *Ctx) Sections(slot string) ([]template.HTML, error) {
	var out []template.HTML
	for _, a := range c.w.d.Areas {
		section := a.Sections[slot]
		if section == nil {
			continue
		}
		html, err := c.section(a.Name, section)
		var e *APIError
		switch {
		case err == nil && html == "":
			continue
		case errors.As(err, &e) && (e.Status == http.StatusNotFound || e.Status == http.StatusForbidden):
			continue
		case err != nil:
			c.w.d.Log.Error("a section of a page failed", zap.String("area", a.Name), zap.String("slot", slot),
				zap.String("path", c.FullPath()), zap.Error(err))
			if html, err = c.w.pages.partial("web", "web/unavailable", c.view(c.Writer.Header().Get(requestIDHeader))); err != nil {
				return nil, err
			}
		}
		out = append(out, html)
	}
	return out, nil
}

// section renders one area's section; "" when the area has none to show.
func (c *Ctx) section(area string, section Section) (template.HTML, error) {
	partial, data, err := section(c)
	if err != nil || partial == "" {
		return "", err
	}
	return c.w.pages.partial(area, partial, c.view(data))
}

// TaskPayload is a task's answer as its form sent it: every field but the CSRF token and those
// named in skip. A checkbox (a boolean field) is named "bool:<field>"; every other field is text
// as typed, even a text that reads "true".
func (c *Ctx) TaskPayload(skip ...string) map[string]any {
	payload := map[string]any{}
	for name, values := range c.Request.PostForm {
		if name == csrfField || len(values) == 0 || slices.Contains(skip, name) {
			continue
		}
		if field, ok := strings.CutPrefix(name, "bool:"); ok {
			payload[field] = values[0] == "true"
			continue
		}
		payload[name] = values[0]
	}
	return payload
}
