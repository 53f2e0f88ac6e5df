package grading

import (
	"embed"
	"net/url"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages. A group's grade forms in a period (web_form.go): the teacher grades
// each activity of the group, saved as a draft and submitted once, and the co-signer agrees or
// gives their own grades. The principal's pages (web_period.go): the school's periods and the
// form that opens one, a period with what is missing, and each group's catalogue with its
// sign-off and verification. The published grades (web_pupil.go): on the guardian's page about
// a child, on the child's grade page, and on a pupil's own. The principal's decision on a
// disagreement is a task on the kernel's /tasks page with this area's texts
// (pages/messages_tasks.json). The pages ask the API only.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes, menu entry and sections.
func Web() web.Area {
	return web.Area{
		Name:  "grading",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/grading-periods/:periodId/groups/:groupId", groupPage)
			r.POST("/grading-periods/:periodId/groups/:groupId", sendGroupForm)
			r.GET("/grading", toMySchool)
			r.GET("/schools/:schoolId/grading", periodsPage)
			r.POST("/schools/:schoolId/grading", openPeriodForm)
			r.GET("/grading-periods/:periodId", periodPage)
			r.GET("/grading-periods/:periodId/catalogues/:groupId", cataloguePage)
			r.POST("/grading-periods/:periodId/catalogues/:groupId", signCatalogueForm)
			r.GET("/children/:personId/grades", childGradesPage)
			r.GET("/grades", myGradesPage)
		},
		Menu:     []web.MenuEntry{{Path: "/grading", Label: "grading.menu", Role: web.RolePrincipal}},
		Sections: map[string]web.Section{web.SlotHome: homeSection, web.SlotChild: childSection},
		// A teacher's, a co-signer's and a deciding principal's task is about a group's grade
		// forms; the principal's sign-off about the group's catalogue.
		TaskPages: map[string]func(store.TaskView) string{
			KindSet: groupTaskPage, KindCoSign: groupTaskPage, KindDecide: groupTaskPage, KindSignOff: catalogueTaskPage,
		},
	}
}

// groupTaskPage is the page of the grade forms of the task's group in its period.
func groupTaskPage(t store.TaskView) string {
	period, ok := PeriodOfProcess(t.ProcessID)
	if !ok || t.SubjectGroup == nil {
		return ""
	}
	return groupPath(period, *t.SubjectGroup)
}

// catalogueTaskPage is the page of the task's group's catalogue in its period.
func catalogueTaskPage(t store.TaskView) string {
	period, ok := PeriodOfProcess(t.ProcessID)
	if !ok || t.SubjectGroup == nil {
		return ""
	}
	return cataloguePath(period, *t.SubjectGroup)
}

func groupPath(period, group string) string {
	return "/grading-periods/" + url.PathEscape(period) + "/groups/" + url.PathEscape(group)
}

func cataloguePath(period, group string) string {
	return "/grading-periods/" + url.PathEscape(period) + "/catalogues/" + url.PathEscape(group)
}

func periodPath(period string) string { return "/grading-periods/" + url.PathEscape(period) }

// apiPeriod is the API's path of a period.
func apiPeriod(period string) string { return "/api/v1/grading-periods/" + url.PathEscape(period) }
