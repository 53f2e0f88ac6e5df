package absence

import (
	"embed"
	"io/fs"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The area's pages (package web): a guardian reports a child absent from the start page in one
// step, answers the day's absence notice with a reason, and sees a child's absence on the
// child's page; a mentor sees the absence days of their tasks, the guardian's reason with them,
// and answers the task there. Every page asks the API on behalf of the signed-in person; the
// rules, and what each person may see, are the API's.

//go:embed all:pages
var pageFiles embed.FS

// pages are the area's templates and texts (the module's Web.Pages).
func pages() fs.FS { return web.PagesOf(pageFiles) }

// guardianPages are a custodial guardian's: the report of a child's absence (also posted from
// the start page's section) and the answer to a day's notice.
func guardianPages(r *web.Router) {
	r.GET("/children/:personId/absence", reportForm)
	r.POST("/children/:personId/absence", sendReport)
	r.GET("/children/:personId/absence/:day", noticePage)
	r.POST("/children/:personId/absence/:day", answerNotice)
}

// mentorPages are staff's: a pupil's absence day with the guardians' reasons, and the tasks of
// the day the viewer holds, answered there.
func mentorPages(r *web.Router) {
	r.GET("/absence-days/:personId/:day", staffDay)
	r.POST("/absence-days/:personId/:day", completeDayTask)
}

// homeSection is the area's part of the start page: for a guardian, a form per child to report
// absence; for a teacher, the absence days their tasks are about.
func homeSection(c *web.Ctx) (string, any, error) {
	var h homeData
	if c.Session.Has(web.RoleGuardian) {
		if err := h.addChildren(c); err != nil {
			return "", nil, err
		}
	}
	if c.Session.Has(web.RoleTeacher) || c.Session.Has(web.RolePrincipal) {
		if err := h.addTasks(c); err != nil {
			return "", nil, err
		}
	}
	if len(h.Children) == 0 && len(h.Tasks) == 0 {
		return "", nil, nil
	}
	return "absence/home", h, nil
}

type homeData struct {
	Today    string
	Children []childForm
	Tasks    []dayTask
}

// today is the schools' date today, YYYY-MM-DD.
func today() string { return time.Now().In(register.SchoolDay).Format(time.DateOnly) }
