package ss12000

import "testing"

// Every expand a resource takes names the resource it embeds, whose grant it needs.
func TestEveryExpandNamesItsResource(t *testing.T) {
	names := map[string]bool{}
	for _, r := range Resources() {
		names[r] = true
	}
	for _, r := range append(resources, aggregatedAttendance) {
		for _, e := range r.expand {
			if embedded := expansions[r.name][e]; !names[embedded] {
				t.Errorf("%s?expand=%s embeds %q, which is no resource a client is granted", r.name, e, embedded)
			}
		}
	}
}
