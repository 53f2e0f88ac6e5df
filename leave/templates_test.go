package leave

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/notify"
)

// The messages of the leave process say in words what happened or what is asked, of whom and by
// when, and lead to the page where it is seen or answered: no internal name reaches a person.
// The task messages (task.assigned.<kind>, task.reminder.<kind>) are written for the kernel to
// choose by the task's kind; publicURL is the address of the pages when the kernel gives it.
func TestTheMessagesSayInWordsWhatIsAsked(t *testing.T) {
	pupil := &notify.Pupil{GivenName: "Maja", Custodian: true}
	base := map[string]string{"pupil": "p-1", "from": "2026-12-07", "to": "2026-12-11", "dueAt": "2026-12-03T15:00:00Z"}
	cases := []struct {
		purpose, outcome string
		want             map[string][]string // by language
		link             string
	}{
		{"leave.decided", Granted, map[string][]string{"sv": {"beviljad", "kan inte överklagas", "laglighetsprövning"}, "en": {"granted", "cannot be appealed"}}, "/children/p-1/leave"},
		{"leave.decided", Denied, map[string][]string{"sv": {"inte beviljad", "kan inte överklagas"}, "en": {"not granted", "cannot be appealed"}}, "/children/p-1/leave"},
		{"leave.decided", Denied + "+reason", map[string][]string{"sv": {"inte beviljad", "Skäl för beslutet: Nationella prov.\n\nEtt beslut"}, "en": {"not granted", "Reasons for the decision: Nationella prov.\n\nA decision"}}, "/children/p-1/leave"},
		{"leave.ended", Expired, map[string][]string{"sv": {"inte svarade i tid"}, "en": {"answered in time"}}, "/children/p-1/leave"},
		{"leave.ended", RefusedByGuardian, map[string][]string{"sv": {"inte godkände"}, "en": {"did not agree"}}, "/children/p-1/leave"},
		{"task.assigned.leave.consent", "", map[string][]string{"sv": {"Godkänner du", "senast 2026-12-03 16:00"}, "en": {"Do you agree", "by 2026-12-03 16:00"}}, "/tasks"},
		{"task.reminder.leave.consent", "", map[string][]string{"sv": {"Påminnelse", "senast 2026-12-03 16:00"}, "en": {"Reminder", "by 2026-12-03 16:00"}}, "/tasks"},
		{"task.assigned.leave.opinion", "", map[string][]string{"sv": {"mentor", "senast"}, "en": {"mentor", "by"}}, "/tasks"},
		{"task.reminder.leave.opinion", "", map[string][]string{"sv": {"mentor", "senast"}, "en": {"mentor", "by"}}, "/tasks"},
		{"task.assigned.leave.decide", "", map[string][]string{"sv": {"besluta", "senast"}, "en": {"decide", "by"}}, "/tasks"},
		{"task.reminder.leave.decide", "", map[string][]string{"sv": {"besluta", "senast"}, "en": {"decide", "by"}}, "/tasks"},
	}
	for _, c := range cases {
		for _, lang := range notify.Languages {
			for _, url := range []string{"", "https://skola.example.se"} {
				outcome, withReason := strings.CutSuffix(c.outcome, "+reason")
				params := map[string]string{"outcome": outcome, "kind": strings.TrimPrefix(strings.TrimPrefix(c.purpose, "task.assigned."), "task.reminder."), "publicURL": url}
				for k, v := range base {
					params[k] = v
				}
				if withReason {
					params["reason"] = "Nationella prov."
				}
				m, _, err := notify.Compose(c.purpose, lang, params, pupil)
				if err != nil {
					t.Fatalf("%s in %s: %v", c.purpose, lang, err)
				}
				text := m.Subject + "\n" + m.Body
				for _, w := range c.want[lang] {
					if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
						t.Errorf("%s (%s) in %s reads %q, want %q in it", c.purpose, c.outcome, lang, text, w)
					}
				}
				if strings.Contains(text, "\n\n\n") || !withReason && (strings.Contains(text, "Skäl för beslutet") || strings.Contains(text, "Reasons for the decision")) {
					t.Errorf("%s (%s) in %s reads %q: a blank line too many, or reasons where none were given", c.purpose, c.outcome, lang, text)
				}
				if !strings.Contains(text, "Maja") {
					t.Errorf("%s in %s does not name the pupil to a custodian: %q", c.purpose, lang, text)
				}
				for _, internal := range []string{"leave.", "granted-", "denied", "refused-by", "awaiting", "<no value>", "{{"} {
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
			}
		}
	}
}
