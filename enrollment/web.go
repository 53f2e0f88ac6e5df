package enrollment

import (
	"embed"
	"net/url"
	"strings"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages. A guardian's school choice for a child (web_choice.go, web_choice_send.go):
// apply in an open round ranking up to five schools, follow the application and who agreed to
// it, change it while the round is open, and once the round is published read the placement and
// why, appeal a refusal, and answer the offer; the other guardian agrees on the same page. The
// guardian's page about a child shows it in short (web_child.go). The organiser's officers follow
// their rounds (web_rounds.go): each round's status, figures and each school's intake, and the
// approval of the placement. Every step is also a task on the kernel's /tasks page, in this
// area's words (pages/messages.json), linked to the page where it can be read. The pages ask the
// API only.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes and sections.
func Web() web.Area {
	return web.Area{
		Name:  "enrollment",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/children/:personId/school-choice", choicePage)
			r.POST("/children/:personId/school-choice", sendChoice)
			r.GET("/schools/:schoolId/enrollment-rounds", roundsPage)
			r.GET("/schools/:schoolId/enrollment-rounds/:round", roundPage)
			r.POST("/schools/:schoolId/enrollment-rounds/:round", approveRound)
		},
		// The kernel's menu has no role for the organiser's officers (a session's roles are
		// guardian, teacher and principal): their way to the rounds is on the start page.
		Sections: map[string]web.Section{web.SlotChild: childSection, web.SlotHome: officersSection},
		// A guardian's consent and answer are about the child's school choice; the officers'
		// approval about the round's placement.
		TaskPages: map[string]func(store.TaskView) string{
			KindConsent: choiceTaskPage, KindAnswer: choiceTaskPage, KindApprove: roundTaskPage,
		},
	}
}

// choiceTaskPage is the school choice page of the task's child.
func choiceTaskPage(t store.TaskView) string {
	if t.SubjectPerson == nil {
		return ""
	}
	return choicePath(*t.SubjectPerson)
}

// roundTaskPage is the officers' page of the round whose placement the task is about.
func roundTaskPage(t store.TaskView) string {
	organiser, round, ok := roundOfProcess(t.ProcessID)
	if !ok {
		return ""
	}
	return roundPath(organiser, round)
}

// roundOfProcess reads the organiser and the round from a placement process's ID (PlacementID).
func roundOfProcess(id string) (organiser, round string, ok bool) {
	rest, ok := strings.CutPrefix(id, "placement:")
	if !ok {
		return "", "", false
	}
	organiser, round, ok = strings.Cut(rest, ":")
	return organiser, round, ok && organiser != "" && round != ""
}

func choicePath(child string) string { return "/children/" + url.PathEscape(child) + "/school-choice" }

func roundsPath(organiser string) string {
	return "/schools/" + url.PathEscape(organiser) + "/enrollment-rounds"
}

func roundPath(organiser, round string) string {
	return roundsPath(organiser) + "/" + url.PathEscape(round)
}

// The API's paths the pages ask.
func apiApplications(child string) string {
	return "/api/v1/persons/" + url.PathEscape(child) + "/applications"
}

func apiRounds(organiser string) string { return "/api/v1" + roundsPath(organiser) }
