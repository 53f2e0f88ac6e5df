package leave_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/leave"
)

// The request middleware refuses a delegation by api/openapi.yaml's bound, and the process
// decides by MaxDelegatedDays: the two are one number.
func TestTheDocumentBoundsTheDelegationByTheRule(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	days := doc.Components.Schemas["LeaveDelegation"].Value.Properties["mentorMaxDays"].Value
	if days.Min == nil || *days.Min != 0 || days.Max == nil || *days.Max != leave.MaxDelegatedDays {
		t.Fatalf("mentorMaxDays in api/openapi.yaml is not bounded from 0 to %d", leave.MaxDelegatedDays)
	}
}
