package leave

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The principal's delegation of short leave to the mentors (/schools/:schoolId/leave-delegation),
// and the menu's way there (/leave/delegation): to the page of the school the principal leads,
// or a list when they lead several. Who may read and set it is the API's to decide.

type delegationPageData struct {
	MentorMaxDays int
	Max           int  // MaxDelegatedDays: the law's limit
	CanSet        bool // the viewer is signed in as a principal: the form is shown
}

func delegationPath(school string) string {
	return "/api/v1/schools/" + url.PathEscape(school) + "/leave-delegation"
}

// loadDelegationPage asks the API for the school's delegation and name, and answers the page's
// title and data.
func loadDelegationPage(c *web.Ctx) (string, delegationPageData, error) {
	school := c.Param("schoolId")
	var d Delegation
	if err := c.Get(delegationPath(school), &d); err != nil {
		return "", delegationPageData{}, err
	}
	var s register.School
	if err := c.Get("/api/v1/schools/"+url.PathEscape(school), &s); err != nil {
		return "", delegationPageData{}, err
	}
	return c.T("leave.delegation.title", s.DisplayName),
		delegationPageData{MentorMaxDays: d.MentorMaxDays, Max: MaxDelegatedDays, CanSet: c.Session.Has(web.RolePrincipal)}, nil
}

func delegationPage(c *web.Ctx) {
	title, data, err := loadDelegationPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "leave/delegation", web.View{Title: title, Data: data})
}

// setDelegation sends the number of days. What is not a whole number goes to the API as typed,
// for it to refuse naming the field: the limits are the API's.
func setDelegation(c *web.Ctx) {
	typed := strings.TrimSpace(c.PostForm("mentorMaxDays"))
	var days any = typed
	if n, err := strconv.Atoi(typed); err == nil {
		days = n
	}
	err := c.Send(http.MethodPut, delegationPath(c.Param("schoolId")), map[string]any{"mentorMaxDays": days}, nil)
	if err == nil {
		c.Done(c.Request.URL.Path, "leave.delegation.saved")
		return
	}
	if !invalid(err) {
		c.Fail(err)
		return
	}
	title, data, lerr := loadDelegationPage(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	c.Invalid(err, "leave/delegation", web.View{Title: title, Data: data})
}

// myDelegation leads a principal from the menu to the delegation of their school, or lists their
// schools when they lead several; anyone else may not.
func myDelegation(c *web.Ctx) {
	c.ToOwnSchool("leave-delegation", "leave/schools", "leave.schools.title")
}
