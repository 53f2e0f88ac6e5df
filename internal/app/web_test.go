package app

import (
	"testing"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/web"
)

// Every area's pages load together (no text key in two catalogues, every template parses), name
// only texts of the catalogue in both languages, and write no word outside it.
func TestEveryAreasPagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" }, true)
	if err != nil {
		t.Fatal(err)
	}
	var areas []web.Area
	for _, m := range Modules(area.Env{Config: cfg}) {
		if m.Web.Name != "" {
			areas = append(areas, m.Web)
		}
	}
	w, err := web.New(web.Deps{Areas: areas})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range areas {
		for _, p := range web.CheckPages(a.Name, a.Pages, w.Texts()) {
			t.Error(p)
		}
	}
}
