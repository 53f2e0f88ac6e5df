package documents

import (
	"testing"

	"github.com/skolflow/skolflow/api"
)

// Content is checked against its kind: every required field, no other, dates as dates.
func TestContentFitsItsKind(t *testing.T) {
	programme := Kinds["action-programme"]
	full := map[string]string{"need": "n", "measures": "m", "responsible": "r", "followUp": "2027-01-15", "evaluation": "2027-03-01"}
	var bad api.Fields
	CheckContent(programme, Content{Fields: full}, &bad)
	if len(bad) != 0 {
		t.Fatalf("a full programme: %+v", bad)
	}
	fields := map[string]string{"need": " ", "measures": "m", "responsible": "r", "followUp": "2027-02-30", "colour": "blue"}
	bad = nil
	CheckContent(programme, Content{Fields: fields}, &bad)
	want := map[string]bool{"fields/need": true, "fields/followUp": true, "fields/evaluation": true, "fields/colour": true}
	if len(bad) != len(want) {
		t.Fatalf("problems %+v, want %v", bad, want)
	}
	for _, p := range bad {
		if !want[p.Field] {
			t.Errorf("named %s: %s", p.Field, p.Detail)
		}
	}
}
