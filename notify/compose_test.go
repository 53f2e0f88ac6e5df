package notify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// purposes lists the purposes with templates, and which of them name the pupil.
func purposes(t *testing.T) (all []string, naming map[string]bool) {
	t.Helper()
	naming = map[string]bool{}
	for n := range templates {
		p, ok := strings.CutSuffix(n, ".sv.txt")
		if !ok {
			continue
		}
		text, err := templateText(p, "sv")
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p)
		naming[p] = strings.Contains(string(text), ".pupilName")
	}
	return all, naming
}

// Every message, in both languages, to each kind of recipient: the pupil's name only to a
// custodial guardian, "en elev" / "a pupil" to anyone else; for a pupil with a protection
// marking, email and SMS carry the waiting line and nothing else (no name, date, lesson time),
// while the inbox has the whole message.
func TestComposeTellsEachRecipientOnlyWhatTheyMayRead(t *testing.T) {
	params := map[string]string{"pupil": "b9284f0c-6cbd-5156-ac1a-e6c345ec346d", "day": "2026-12-01",
		"lessonTimes": "09:00–09:40", "from": "2026-12-01T08:00:00+01:00", "to": "2026-12-04T16:00:00+01:00",
		"outcome": "granted", "kind": "leave.consent", "dueAt": "2026-12-02T16:00:00+01:00"}
	secrets := []string{"Olle", "2026-12", "09:00"}
	all, naming := purposes(t)
	for _, purpose := range all {
		if purpose == waiting {
			continue
		}
		for _, lang := range Languages {
			waitingLine, err := Render(waiting, lang, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, pupil := range []Pupil{
				{GivenName: "Olle", Custodian: true}, {GivenName: "Olle"},
				{GivenName: "Olle", Custodian: true, Protected: true}, {GivenName: "Olle", Protected: true},
			} {
				inApp, outside, err := Compose(purpose, lang, params, &pupil)
				if err != nil {
					t.Fatalf("%s in %s: %v", purpose, lang, err)
				}
				in, out := inApp.Subject+"\n"+inApp.Body, outside.Subject+"\n"+outside.Body
				name := fmt.Sprintf("%s in %s to %+v", purpose, lang, pupil)
				switch {
				case pupil.Custodian && naming[purpose] && !strings.Contains(in, "Olle"):
					t.Errorf("%s: the guardian's message does not name the child: %q", name, in)
				case !pupil.Custodian && strings.Contains(in+out, "Olle"):
					t.Errorf("%s: names the child to someone not their guardian: %q / %q", name, in, out)
				case !pupil.Custodian && naming[purpose] && !strings.Contains(strings.ToLower(in), unnamed[lang]):
					t.Errorf("%s: does not say %q: %q", name, unnamed[lang], in)
				}
				if !pupil.Protected {
					if outside != inApp {
						t.Errorf("%s: email and SMS differ from the inbox: %q / %q", name, out, in)
					}
					continue
				}
				if outside != waitingLine {
					t.Errorf("%s: email and SMS say %q, want only %q", name, out, waitingLine.Body)
				}
				for _, secret := range secrets {
					if strings.Contains(out, secret) {
						t.Errorf("%s: email and SMS carry %q: %q", name, secret, out)
					}
				}
			}
		}
	}
}

// A message about no pupil reads the same everywhere, and a name a caller put among the
// parameters is not used: only Compose fills it in.
func TestComposeWithoutAPupil(t *testing.T) {
	inApp, outside, err := Compose("absence.notice", "sv", map[string]string{"pupilName": "Olle", "day": "2026-12-01"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if inApp != outside || strings.Contains(inApp.Subject+inApp.Body, "Olle") {
		t.Fatalf("in the app %+v, outside %+v; want the same, without the name", inApp, outside)
	}
}

// A pupil who may not be named begins a sentence as one.
func TestAnUnnamedPupilBeginsASentence(t *testing.T) {
	for lang, want := range map[string]string{"sv": "En elev var frånvarande", "en": "A pupil was absent"} {
		m, _, err := Compose("absence.notice", lang, map[string]string{"day": "2026-12-01"}, &Pupil{GivenName: "Olle"})
		if err != nil || !strings.HasPrefix(m.Body, want) {
			t.Errorf("%s: %q, %v; want it to begin %q", lang, m.Body, err, want)
		}
	}
}

// The Swedish and English templates of a purpose use the same parameters.
func TestTemplatesInStep(t *testing.T) {
	field := regexp.MustCompile(`\{\{[^}]*?\.([A-Za-z]+)`)
	all, _ := purposes(t)
	for _, p := range all {
		var uses [][]string
		for _, lang := range Languages {
			text, err := templateText(p, lang)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range field.FindAllStringSubmatch(string(text), -1) {
				names = append(names, m[1])
			}
			slices.Sort(names)
			uses = append(uses, slices.Compact(names))
		}
		for i := 1; i < len(uses); i++ {
			if !slices.Equal(uses[0], uses[i]) {
				t.Errorf("%s: %s uses %v, %s uses %v", p, Languages[0], uses[0], Languages[i], uses[i])
			}
		}
	}
}

// A task's message says what is asked, of whom and by when, links to where it is answered, and
// names no internal kind: the guardian's consent reads as a request to agree to leave.
func TestATasksMessageSaysWhatIsAskedAndWhere(t *testing.T) {
	params := map[string]string{"kind": "leave.consent", "pupil": "p1", "dueAt": "2026-12-01T15:00:00Z", "publicURL": "https://skola.example"}
	for lang, want := range map[string]string{"sv": "godkänner", "en": "agree"} {
		inApp, _, err := Compose("task.assigned", lang, params, &Pupil{GivenName: "Alva", Custodian: true})
		if err != nil {
			t.Fatal(err)
		}
		text := inApp.Subject + "\n" + inApp.Body
		for _, must := range []string{want, "Alva", "2026-12-01 16:00", "https://skola.example/tasks"} {
			if !strings.Contains(text, must) {
				t.Errorf("%s: %q lacks %q", lang, text, must)
			}
		}
		if strings.Contains(text, "leave.consent") {
			t.Errorf("%s: the message names the internal kind: %q", lang, text)
		}
		reminder, _, err := Compose("task.reminder", lang, params, &Pupil{GivenName: "Alva", Custodian: true})
		if err != nil || reminder.Subject == inApp.Subject {
			t.Errorf("%s: the reminder's subject %q is not a reminder's (%v)", lang, reminder.Subject, err)
		}
	}
	// A kind without a message of its own has the kernel's, which names no kind either.
	generic, _, err := Compose("task.assigned", "sv", map[string]string{"kind": "some.kind", "publicURL": "https://skola.example"}, nil)
	if err != nil || strings.Contains(generic.Body, "some.kind") || !strings.Contains(generic.Body, "https://skola.example/tasks") {
		t.Fatalf("generic task message %+v, %v", generic, err)
	}
}
