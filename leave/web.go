package leave

import (
	"embed"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages: a guardian applies for a child's leave and follows the applications
// (web_apply.go), the guardian's page about a child shows them in short (web_child.go), and the
// principal delegates short leave to the mentors (web_delegation.go). The other guardian's
// consent, the mentor's opinion and the decision are tasks, answered on the kernel's /tasks page
// with this area's texts (pages/messages_tasks.json). The pages ask the API only.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes, menu entry and section of the child's page.
func Web() web.Area {
	return web.Area{
		Name:  "leave",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/children/:personId/leave", applyPage)
			r.POST("/children/:personId/leave", apply)
			r.GET("/leave/delegation", myDelegation)
			r.GET("/schools/:schoolId/leave-delegation", delegationPage)
			r.POST("/schools/:schoolId/leave-delegation", setDelegation)
		},
		Menu:     []web.MenuEntry{{Path: "/leave/delegation", Label: "leave.menu.delegation", Role: web.RolePrincipal}},
		Sections: map[string]web.Section{web.SlotChild: childSection},
		// Every leave task is about an application: its page shows the dates and the reason.
		TaskPages: map[string]func(store.TaskView) string{
			"leave.consent": applicationPage, "leave.opinion": applicationPage, "leave.decide": applicationPage,
		},
	}
}

// applicationPage is the page of the applications of the task's pupil.
func applicationPage(t store.TaskView) string {
	if t.SubjectPerson == nil {
		return ""
	}
	return "/children/" + *t.SubjectPerson + "/leave"
}
