package registerhttp

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// childrenSection is the guardian's children on the start page, each a card leading to the page
// about the child; nothing for one who has no children in their custody.
func childrenSection(c *web.Ctx) (string, any, error) {
	if !c.Session.Has(web.RoleGuardian) {
		return "", nil, nil
	}
	var children []register.PersonRef
	if err := c.Get("/api/v1/me/children", &children); err != nil {
		return "", nil, err
	}
	if len(children) == 0 {
		return "", nil, nil
	}
	return "register/children", children, nil
}

type childPageData struct {
	Sections []template.HTML
	Guardian bool // the viewer has the child in their custody: the page is theirs
}

// childPage is a guardian's page about one of their children: the child's name, then each
// area's part (web.SlotChild), in the order of the areas. It answers as the API answers about the
// person: a child the viewer may not see is not found. Staff who may see the pupil get the name
// only: the areas' parts are a guardian's (reporting absence, applying for leave).
func childPage(c *web.Ctx) {
	id := c.Param("personId")
	var child register.PersonRef
	if err := c.Get("/api/v1/persons/"+url.PathEscape(id), &child); err != nil {
		c.Fail(err)
		return
	}
	var children []register.PersonRef
	if err := c.Get("/api/v1/me/children", &children); err != nil {
		c.Fail(err)
		return
	}
	d := childPageData{Guardian: hasPerson(children, id)}
	if d.Guardian {
		var err error
		if d.Sections, err = c.Sections(web.SlotChild); err != nil {
			c.Fail(err)
			return
		}
	}
	name := strings.TrimSpace(child.GivenName + " " + child.FamilyName)
	c.RenderView(http.StatusOK, "register/child", web.View{Title: name, Data: d})
}

func hasPerson(people []register.PersonRef, id string) bool {
	for _, p := range people {
		if p.ID == id {
			return true
		}
	}
	return false
}
