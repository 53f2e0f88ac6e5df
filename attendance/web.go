package attendance

import (
	"embed"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages: a teacher's lessons, today's and the week's, with the register taken or
// not (web_lessons.go); the register of a lesson, the whole class on one form (web_register.go);
// and on the guardian's page about a child, the child's week, today and attendance in sum
// (web_child.go). The pages ask the API only.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes, menu entry and sections.
func Web() web.Area {
	return web.Area{
		Name:  "attendance",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/lessons", lessonsPage)
			r.GET("/lessons/:lessonId/register", registerPage)
			r.POST("/lessons/:lessonId/register", takeRegister)
		},
		Menu: []web.MenuEntry{{Path: "/lessons", Label: "attendance.menu.lessons", Role: web.RoleTeacher}},
		Sections: map[string]web.Section{
			web.SlotHome:  todaySection,
			web.SlotChild: childSection,
		},
	}
}

// today is the date in the schools' time zone, at midnight there.
func today() time.Time {
	y, m, d := time.Now().In(register.SchoolDay).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, register.SchoolDay)
}

// monday is the Monday of d's week.
func monday(d time.Time) time.Time { return PeriodStart(d, Week) }
