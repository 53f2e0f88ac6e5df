package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// Languages are the languages of the pages, the default first: Swedish is the language of the
// public sector (språklagen), English is offered beside it.
var Languages = []string{"sv", "en"}

// Catalogue holds every text a page shows, by key and language. Each area keeps its texts in
// its pages/messages*.json, as {"key": {"sv": "...", "en": "..."}}, so that a text and its
// translation are written side by side; a text may take fmt verbs (%s, %d) for its arguments.
type Catalogue map[string]map[string]string

// loadCatalogue reads the messages*.json of each fsys into one catalogue. A key twice, or a
// key without every language, is an error: no page shows a text in one language only.
func loadCatalogue(fsyss ...fs.FS) (Catalogue, error) {
	c := Catalogue{}
	for _, fsys := range fsyss {
		files, err := fs.Glob(fsys, "messages*.json")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if err := c.add(fsys, f); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

func (c Catalogue) add(fsys fs.FS, file string) error {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	var texts Catalogue
	if err := json.Unmarshal(raw, &texts); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	for key, byLang := range texts {
		if _, twice := c[key]; twice {
			return fmt.Errorf("%s: the key %q is in two catalogues", file, key)
		}
		for _, l := range Languages {
			if byLang[l] == "" {
				return fmt.Errorf("%s: %q has no %s text", file, key, l)
			}
		}
		c[key] = byLang
	}
	return nil
}

// T answers the text of key in lang, with args put in. A key not in the catalogue is a
// programming error that the catalogue test finds; a page shows the key rather than fail.
func (c Catalogue) T(lang, key string, args ...any) string {
	text, ok := c[key][lang]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Has tells whether key is in the catalogue.
func (c Catalogue) Has(key string) bool { _, ok := c[key]; return ok }

// Keys lists the catalogue's keys in order, for tests.
func (c Catalogue) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// language answers lang if the pages speak it, else the default.
func language(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return Languages[0]
}
