package registerhttp

import (
	"embed"

	"github.com/skolflow/skolflow/web"
)

// The register's web pages: a guardian's children on the start page and the page about one
// child, where every area adds its part (web_children.go); a teacher's groups and their pupils
// (web_groups.go). The pages ask the API only: what a viewer sees of a child or a group, a
// protected pupil included, is what the API lets them see.

//go:embed all:pages
var pageFiles embed.FS

// Web is the register's pages, texts, routes, menu entry and part of the start page.
func Web() web.Area {
	return web.Area{
		Name:  "register",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/children/:personId", childPage)
			r.GET("/groups", groupsPage)
			r.GET("/groups/:groupId", groupPage)
		},
		Menu:     []web.MenuEntry{{Path: "/groups", Label: "register.menu.groups", Role: web.RoleTeacher}},
		Sections: map[string]web.Section{web.SlotHome: childrenSection},
	}
}
