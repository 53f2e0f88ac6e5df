package registerhttp

import (
	"net/http"
	"net/url"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// groupsPage lists the groups the teacher teaches or mentors today, with their part in each.
func groupsPage(c *web.Ctx) {
	var groups []register.MyGroup
	if err := c.Get("/api/v1/me/groups", &groups); err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "register/groups", "register.groups.title", groups)
}

// groupPage is a group with its pupils and staff today, as the API shows them to the viewer:
// pupils with a protection marking only to those with a need to know.
func groupPage(c *web.Ctx) {
	var g register.GroupView
	if err := c.Get("/api/v1/groups/"+url.PathEscape(c.Param("groupId")), &g); err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "register/group", web.View{Title: c.T("register.group.title", g.DisplayName), Data: g})
}
