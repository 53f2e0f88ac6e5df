package documents

import (
	"slices"
	"strings"

	"github.com/skolflow/skolflow/api"
)

// CheckContent names, in bad, each way c does not fit its kind: a field the kind requires that
// is missing or blank, a field the kind does not have, and a date field that is not a date.
// Lengths and plain text are api/openapi.yaml's, checked before.
func CheckContent(k Kind, c Content, bad *api.Fields) {
	for _, name := range k.Fields {
		v, ok := c.Fields[name]
		switch {
		case !ok || strings.TrimSpace(v) == "":
			bad.Add("fields/"+name, "is required for a document of kind "+k.Name)
		case slices.Contains(k.Dates, name):
			bad.Date("fields/"+name, v)
		}
	}
	names := make([]string, 0, len(c.Fields))
	for name := range c.Fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(k.Fields, name) {
			bad.Add("fields/"+name, "is not a field of a document of kind "+k.Name+" (its fields: "+strings.Join(k.Fields, ", ")+")")
		}
	}
}
