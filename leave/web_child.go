package leave

import "github.com/skolflow/skolflow/web"

// childShown is how many of a child's applications the guardian's page about the child shows;
// the leave page shows them all.
const childShown = 3

type childSectionData struct {
	PersonID     string
	Applications []applicationCard
	More         bool // there are more than are shown
}

// childSection is the area's part of the guardian's page about a child: the newest
// applications in short, and the way to apply.
func childSection(c *web.Ctx) (string, any, error) {
	person := c.Param("personId")
	var apps []Application
	if err := c.Get(applicationsPath(person), &apps); err != nil {
		return "", nil, err
	}
	d := childSectionData{PersonID: person, Applications: cards(apps)}
	if len(d.Applications) > childShown {
		d.Applications, d.More = d.Applications[:childShown], true
	}
	return "leave/child", d, nil
}
