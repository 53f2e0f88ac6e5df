package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// The checks a folder of pages must pass, which the tests run over the kernel's and every
// area's: each text a template names is in the catalogue, and no words are written into a
// template outside it.

var (
	textKey    = regexp.MustCompile(`\bt "([^"]+)"`)
	action     = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tag        = regexp.MustCompile(`(?s)<[^>]*>`)
	entity     = regexp.MustCompile(`&[a-z#0-9]+;`)
	letters    = regexp.MustCompile(`\pL{2,}`)
	ownNames   = regexp.MustCompile(`\b(Svenska|English)\b`) // each language is named in itself
	commentTpl = regexp.MustCompile(`(?s)\{\{/\*.*?\*/\}\}`)
)

// CheckPages answers what is wrong with the templates of fsys against texts.
func CheckPages(name string, fsys fs.FS, texts Catalogue) []string {
	var problems []string
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return []string{err.Error()}
	}
	for _, f := range files {
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			return []string{err.Error()}
		}
		src := commentTpl.ReplaceAllString(string(raw), "")
		for _, m := range textKey.FindAllStringSubmatch(src, -1) {
			if !texts.Has(m[1]) {
				problems = append(problems, fmt.Sprintf("%s/%s: the text %q is not in the catalogue", name, f, m[1]))
			}
		}
		bare := entity.ReplaceAllString(tag.ReplaceAllString(action.ReplaceAllString(src, " "), " "), " ")
		bare = ownNames.ReplaceAllString(bare, " ")
		for _, w := range letters.FindAllString(bare, -1) {
			problems = append(problems, fmt.Sprintf("%s/%s: %q is written outside the catalogue", name, f, strings.TrimSpace(w)))
		}
	}
	return problems
}
