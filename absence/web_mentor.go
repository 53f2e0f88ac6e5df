package absence

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
	"github.com/skolflow/skolflow/workflows"
)

// A pupil's absence day as staff see it: the lessons, the guardians' reasons (which the API
// shows staff with need to know), and the viewer's tasks of the day, answered on the page. To
// classify an absence the mentor needs the guardian's reason, which the task inbox's sentence
// cannot hold: the start page lists a teacher's tasks of absence days, each linked here.

// dayTaskKinds are the kinds of the absence day's tasks (reply.go, reach.go).
var dayTaskKinds = []string{"absence.classify", "absence.reach-guardians"}

// dayTask is one of the viewer's open tasks of an absence day.
type dayTask struct {
	ID, Kind, Sentence, Path string
	Fields                   []workflows.Field
}

// dayOf answers the pupil and day of an absence day's process ID (AbsenceDayID).
func dayOf(processID string) (pupil, day string, ok bool) {
	parts := strings.Split(processID, ":")
	if len(parts) != 3 || parts[0] != "absence" {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// openDayTasks answers the viewer's open tasks of absence days, soonest due first; only those
// of the process processID unless it is "".
func openDayTasks(c *web.Ctx, processID string) ([]dayTask, error) {
	var tasks []store.TaskView
	if err := c.Get("/api/v1/tasks?state=open", &tasks); err != nil {
		return nil, err
	}
	names := map[string]string{}
	var out []dayTask
	for _, t := range tasks {
		pupil, day, ok := dayOf(t.ProcessID)
		if !ok || !slices.Contains(dayTaskKinds, t.Kind) || (processID != "" && t.ProcessID != processID) {
			continue
		}
		who := c.PersonName(names, pupil)
		if who == "" {
			who = c.T("absence.pupil.unnamed")
		}
		sentence := c.T("task."+t.Kind, who)
		if t.DueAt != nil {
			due := t.DueAt.In(register.SchoolDay)
			sentence += " " + c.T("task.due", formatDay(c, due.Format(time.DateOnly)), due.Format("15:04"))
		}
		out = append(out, dayTask{ID: t.ID, Kind: t.Kind, Sentence: sentence, Fields: t.Expects,
			Path: "/absence-days/" + url.PathEscape(pupil) + "/" + url.PathEscape(day)})
	}
	return out, nil
}

// addTasks adds the teacher's open tasks of absence days to the start page.
func (h *homeData) addTasks(c *web.Ctx) error {
	var err error
	h.Tasks, err = openDayTasks(c, "")
	return err
}

// staffDayName is the staff page of a day.
const staffDayName = "absence/staff_day"

func loadStaffDay(c *web.Ctx) (dayPage, error) {
	p, err := loadDay(c)
	if err != nil {
		return p, err
	}
	p.Tasks, err = openDayTasks(c, AbsenceDayID(p.PersonID, p.Day))
	return p, err
}

func staffDay(c *web.Ctx) {
	p, err := loadStaffDay(c)
	if err != nil {
		c.Fail(notFoundIfMalformed(err))
		return
	}
	c.RenderView(http.StatusOK, staffDayName, web.View{Title: p.title(c), Data: p})
}

// completeDayTask answers one of the viewer's tasks of the day with the choice pressed. A task
// done elsewhere meanwhile shows the day as it is now, saying so (409).
func completeDayTask(c *web.Ctx) {
	err := c.Send(http.MethodPost, "/api/v1/tasks/"+url.PathEscape(c.PostForm("task"))+"/complete",
		map[string]any{"payload": c.TaskPayload("task")}, nil)
	if err == nil {
		c.Done(c.Request.URL.Path, "absence.staff.done")
		return
	}
	if _, wrong := web.Wrong(err); !wrong && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	p, lerr := loadStaffDay(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	p.Notice = c.T("absence.staff.invalid")
	status := http.StatusUnprocessableEntity
	if web.Conflict(err) {
		p.Notice, status = c.T("absence.staff.conflict"), http.StatusConflict
	}
	c.RenderView(status, staffDayName, web.View{Title: p.title(c), Data: p})
}
