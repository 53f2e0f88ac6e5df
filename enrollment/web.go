package enrollment

import (
	"embed"

	"github.com/skolflow/skolflow/web"
)

// The area's words for its tasks on the kernel's /tasks page: a guardian agrees to the other's
// school choice and answers the offer of a place there; the officers approve a round's placement
// and reconsider an appeal; the placement administrators keep the preschool guarantee.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's texts.
func Web() web.Area {
	return web.Area{Name: "enrollment", Pages: web.PagesOf(pageFiles)}
}
