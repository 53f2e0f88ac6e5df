package support

import (
	"embed"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's words for its tasks on the kernel's /tasks page; the investigation and the decision
// are drafted and signed on the documents area's pages, where the decision task leads.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's texts and the page each task leads to.
func Web() web.Area {
	return web.Area{
		Name:  "support",
		Pages: web.PagesOf(pageFiles),
		TaskPages: map[string]func(store.TaskView) string{
			KindInvestigate: documentsPage, KindDecide: documentsPage, KindFollowUp: documentsPage, KindEvaluate: documentsPage,
		},
	}
}

// documentsPage is the page of the documents of the task's pupil.
func documentsPage(t store.TaskView) string {
	if t.SubjectPerson == nil {
		return ""
	}
	return "/pupils/" + *t.SubjectPerson + "/documents"
}
