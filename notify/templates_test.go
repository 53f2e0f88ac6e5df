package notify

import (
	"strings"
	"testing"
)

// Every purpose has a template in every language, and each renders with a subject and a body.
func TestEveryTemplateInEveryLanguage(t *testing.T) {
	if len(templates) == 0 {
		t.Fatal("no templates")
	}
	purposes := map[string]bool{}
	for n := range templates {
		base := strings.TrimSuffix(n, ".txt")
		purposes[base[:strings.LastIndex(base, ".")]] = true
	}
	for p := range purposes {
		for _, lang := range Languages {
			m, err := Render(p, lang, map[string]string{"kind": "leave.decide", "dueAt": "2026-12-01 16:00"})
			if err != nil || m.Subject == "" || len(m.Body) < 10 {
				t.Errorf("%s in %s: %+v, %v", p, lang, m, err)
			}
		}
	}
}

// The recipient's language chooses the template; an unknown language falls back to Swedish.
func TestLanguageChoosesTheTemplate(t *testing.T) {
	params := map[string]string{"kind": "leave.decide", "dueAt": "2026-12-01 16:00"}
	sv, _ := Render("task.reminder", "sv", params)
	en, _ := Render("task.reminder", "en", params)
	xx, _ := Render("task.reminder", "fi", params)
	if !strings.HasPrefix(sv.Subject, "Påminnelse") || !strings.HasPrefix(en.Subject, "Reminder") || xx != sv {
		t.Fatalf("sv %q, en %q, fallback %q", sv.Subject, en.Subject, xx.Subject)
	}
	if !strings.Contains(en.Body, "2026-12-01 16:00") {
		t.Errorf("the due time is missing: %q", en.Body)
	}
	if _, err := Render("no.such.purpose", "sv", nil); err == nil {
		t.Error("an unknown purpose rendered")
	}
}
