package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// An action programme in the browser: the principal begins one for a pupil on the pupil's
// documents page, fills its fields, saves the draft and signs it; the guardian finds the decision
// on the child's page and reads it with how to appeal, and cannot change it; a teacher not on
// the document gets a not-found. Every page passes axe-core's WCAG 2.1 AA.
func TestAnActionProgrammeInTheBrowser(t *testing.T) {
	s := newStack(t)
	b := browser(t)
	maja := s.id("elev-1")
	day := time.Now().In(stockholm(t)).AddDate(0, 1, 0).Format(time.DateOnly)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "rektor-a")
	desk.Go("/pupils/" + maja + "/documents")
	desk.AssertAccessible(t)
	desk.ClickAndWait(`a[href="/pupils/` + maja + `/documents?kind=action-programme"]`)
	desk.AssertAccessible(t)
	desk.ClickAndWait("main form button")
	if desk.Status() != http.StatusUnprocessableEntity || !desk.Exists(".summary") {
		t.Fatalf("an empty programme: %d, want 422 with the summary", desk.Status())
	}
	desk.AssertAccessible(t)
	desk.Fill(`[id="fields/need"]`, "Läsförståelse")
	desk.Fill(`[id="fields/measures"]`, "Lästräning med speciallärare två gånger i veckan")
	desk.Fill(`[id="fields/responsible"]`, "Mentorn")
	desk.Fill(`[id="fields/followUp"]`, typeDate(day))
	desk.Fill(`[id="fields/evaluation"]`, typeDate(day))
	desk.ClickAndWait("main form button")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.URL(), "/documents/") || !desk.Exists(".flash") {
		t.Fatalf("saving the programme: %d %s %q", desk.Status(), desk.URL(), desk.Text(".summary"))
	}
	document := desk.URL()[strings.Index(desk.URL(), "/documents/"):]
	desk.AssertAccessible(t)
	desk.ClickAndWait(`form[action$="/sign"] button`)
	if desk.Status() != http.StatusOK || !desk.Exists(".flash") || !desk.Exists("code.hash") {
		t.Fatalf("signing: %d %q", desk.Status(), desk.Text("main"))
	}

	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "vh-1")
	phone.Go("/children/" + maja)
	if !phone.Exists(`a[href="` + document + `"]`) {
		t.Fatalf("the child's page has no link to the decided programme:\n%s", phone.Text("main"))
	}
	phone.Go(document)
	phone.AssertAccessible(t)
	text := phone.Text("main")
	if !strings.Contains(text, "Lästräning") || !(strings.Contains(text, "överklagandenämnd") || strings.Contains(text, "Appeals Board")) ||
		phone.Exists(`form[action$="/draft"]`) {
		t.Fatalf("the guardian's view of the programme:\n%s", text)
	}

	teacher := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, teacher, "larare-a2")
	teacher.Go(document)
	if teacher.Status() != http.StatusNotFound {
		t.Fatalf("a teacher not on the document: %d, want 404", teacher.Status())
	}
}
