package enrollment

import (
	"net/url"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// childSectionData is the area's part of the guardian's page about a child.
type childSectionData struct {
	PersonID     string
	Open         []OpenRound // open rounds of the child's next school form or year it has no application in
	Applications []ApplicationView
}

// childSection is the area's part of the guardian's page about a child: the open rounds to apply
// in and the child's applications in short, and the way to the school choice page; nothing when
// there is neither.
func childSection(c *web.Ctx) (string, any, error) {
	person := c.Param("personId")
	d := childSectionData{PersonID: person}
	if err := c.Get(apiApplications(person), &d.Applications); err != nil {
		return "", nil, err
	}
	var child register.PersonView
	if err := c.Get("/api/v1/persons/"+url.PathEscape(person), &child); err != nil {
		return "", nil, err
	}
	var open []OpenRound
	if err := c.Get("/api/v1/enrollment-rounds", &open); err != nil {
		return "", nil, err
	}
	d.Open = toApply(open, child.Enrolments, d.Applications)
	if len(d.Open) == 0 && len(d.Applications) == 0 {
		return "", nil, nil
	}
	return "enrollment/child", d, nil
}
