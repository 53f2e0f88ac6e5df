package documents

import (
	"testing"

	"github.com/skolflow/skolflow/web"
)

// The area's pages name only texts of the catalogue and write no words outside it; every kind
// and every field of a kind has its words.
func TestThePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, p := range web.CheckPages("documents", area.Pages, texts) {
		t.Error(p)
	}
	for name, k := range Kinds {
		if !texts.Has("documents.kind." + name) {
			t.Errorf("the catalogue has no words for the kind %s", name)
		}
		for _, f := range k.Fields {
			if !texts.Has("documents.field." + f) {
				t.Errorf("the catalogue has no words for the field %s", f)
			}
		}
	}
}
