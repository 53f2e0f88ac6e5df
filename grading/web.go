package grading

import (
	"embed"

	"github.com/skolflow/skolflow/web"
)

// The area's web pages. The steps of a period are tasks on the kernel's /tasks page with this
// area's texts (pages/messages_tasks.json).

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages and texts.
func Web() web.Area {
	return web.Area{Name: "grading", Pages: web.PagesOf(pageFiles)}
}
