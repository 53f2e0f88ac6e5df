package grading_test

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/notify"
)

// The messages of risks and corrections say in words what it means and what happens next, lead
// to where it is read or answered, and show no internal name; the grade itself is never in them.
// Nothing about a pupil with a protection marking leaves the app.
func TestTheRiskAndCorrectionMessagesSayInWordsWhatHappens(t *testing.T) {
	custodian := &notify.Pupil{GivenName: "Maja", Custodian: true}
	staff := &notify.Pupil{GivenName: "Maja"}
	cases := []struct {
		purpose    string
		params     map[string]string
		pupil      *notify.Pupil
		want       map[string][]string // by language
		link, name string
	}{
		{"grading.risk", map[string]string{"subject": "Matematik"}, custodian,
			map[string][]string{"sv": {"riskerar att inte nå", "godkänt", "Matematik", "särskilt stöd", "3 kap. 7 §"}, "en": {"risks not reaching", "pass", "Matematik", "special support"}},
			"/children/p-1", "Maja"},
		{"grading.corrected", map[string]string{"correction": grading.Andring}, custodian,
			map[string][]string{"sv": {"har ändrats", "aldrig sänka"}, "en": {"has been changed", "never lower"}}, "/children/p-1", "Maja"},
		{"grading.corrected", map[string]string{"correction": grading.Rattelse}, custodian,
			map[string][]string{"sv": {"har rättats", "felskrivning", "yttra sig"}, "en": {"has been corrected", "clerical error", "comment"}}, "/children/p-1", "Maja"},
		{"task.assigned", map[string]string{"kind": "grading.support", "dueAt": "2026-12-03T15:00:00Z"}, staff,
			map[string][]string{"sv": {"särskilt stöd", "en elev", "senast 2026-12-03 16:00", "huvudmannen"}, "en": {"special support", "a pupil", "by 2026-12-03 16:00"}},
			"/tasks", "en elev"},
		{"task.reminder", map[string]string{"kind": "grading.support", "dueAt": "2026-12-03T15:00:00Z"}, staff,
			map[string][]string{"sv": {"Påminnelse", "särskilt stöd"}, "en": {"Reminder", "special support"}}, "/tasks", "en elev"},
		{"task.assigned", map[string]string{"kind": "grading.hearing", "dueAt": "2026-12-03T15:00:00Z"}, custodian,
			map[string][]string{"sv": {"yttra dig", "felskrivning", "Maja", "senast 2026-12-03 16:00", "rättas betyget ändå"}, "en": {"comment", "clerical error", "Maja", "by 2026-12-03 16:00"}},
			"/tasks", "Maja"},
	}
	for _, c := range cases {
		for _, lang := range notify.Languages {
			for _, url := range []string{"", "https://skola.example.se"} {
				params := map[string]string{"pupil": "p-1", "publicURL": url}
				for k, v := range c.params {
					params[k] = v
				}
				m, outside, err := notify.Compose(c.purpose, lang, params, c.pupil)
				if err != nil {
					t.Fatalf("%s in %s: %v", c.purpose, lang, err)
				}
				text := m.Subject + "\n" + m.Body
				if lang == "en" && c.name == "en elev" {
					c.name = "a pupil"
				}
				for _, w := range append(c.want[lang], c.name) {
					if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
						t.Errorf("%s %v in %s reads %q, want %q in it", c.purpose, c.params, lang, text, w)
					}
				}
				for _, internal := range []string{"grading.", "investigation-started", "no-need", "objects", "<no value>", "{{", "\n\n\n"} {
					if strings.Contains(text, internal) {
						t.Errorf("%s in %s shows %q: %q", c.purpose, lang, internal, text)
					}
				}
				if url != "" && !strings.Contains(text, url+c.link) {
					t.Errorf("%s in %s does not lead to %s: %q", c.purpose, lang, url+c.link, text)
				}
				if url == "" && strings.Contains(text, "http") {
					t.Errorf("%s in %s has a link without the public address: %q", c.purpose, lang, text)
				}
				if outside != m {
					t.Errorf("%s in %s: an unprotected pupil's message differs outside the app", c.purpose, lang)
				}
			}
		}
	}
	// A pupil with a protection marking: only the line that a message waits goes by email and SMS.
	_, outside, err := notify.Compose("grading.risk", "sv", map[string]string{"pupil": "p-1", "subject": "Matematik"},
		&notify.Pupil{GivenName: "Olle", Custodian: true, Protected: true})
	if err != nil || strings.Contains(outside.Body, "Olle") || strings.Contains(outside.Body, "Matematik") {
		t.Fatalf("a protected pupil's risk goes out as %+v, %v", outside, err)
	}
}
