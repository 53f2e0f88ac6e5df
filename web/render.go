package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
)

// pages are every page's template, parsed once per language at start: the layout, the kernel's
// partials (web/pages/_*.html), the area's partials, and the page. A page is named
// "<area>/<file without .html>", e.g. "leave/apply".
type pages struct {
	byLang   map[string]map[string]*template.Template
	partials map[string]map[string]*template.Template // by language and area: the area's partials
	texts    Catalogue
}

// source is one folder of page templates: the kernel's or an area's.
type source struct {
	area string
	fsys fs.FS
}

func loadPages(texts Catalogue, kernel fs.FS, sources []source) (*pages, error) {
	p := &pages{byLang: map[string]map[string]*template.Template{}, partials: map[string]map[string]*template.Template{}, texts: texts}
	for _, lang := range Languages {
		base, err := template.New("layout.html").Funcs(p.funcs(lang)).ParseFS(kernel, "layout.html")
		if err != nil {
			return nil, err
		}
		if err := parseGlob(base, kernel, "_*.html"); err != nil {
			return nil, err
		}
		set := map[string]*template.Template{}
		p.partials[lang] = map[string]*template.Template{}
		for _, src := range sources {
			areaBase, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if err := parseGlob(areaBase, src.fsys, "_*.html"); err != nil {
				return nil, fmt.Errorf("%s: %w", src.area, err)
			}
			if p.partials[lang][src.area], err = areaBase.Clone(); err != nil {
				return nil, err
			}
			files, err := fs.Glob(src.fsys, "[^_]*.html")
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				if f == "layout.html" {
					continue
				}
				t, err := areaBase.Clone()
				if err != nil {
					return nil, err
				}
				if _, err := t.ParseFS(src.fsys, f); err != nil {
					return nil, fmt.Errorf("%s/%s: %w", src.area, f, err)
				}
				set[src.area+"/"+strings.TrimSuffix(path.Base(f), ".html")] = t
			}
		}
		p.byLang[lang] = set
	}
	return p, nil
}

func parseGlob(t *template.Template, fsys fs.FS, pattern string) error {
	files, err := fs.Glob(fsys, pattern)
	if err != nil || len(files) == 0 {
		return err
	}
	_, err = t.ParseFS(fsys, files...)
	return err
}

// render writes page name in the view's language.
func (p *pages) render(name string, v *View) ([]byte, error) {
	t, ok := p.byLang[v.Lang][name]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// funcs are what templates call, bound to one language.
func (p *pages) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// t is a text of the catalogue: {{t "leave.apply.title"}}, {{t "child.absent" .Name}}.
		"t": func(key string, args ...any) string { return p.texts.T(lang, key, args...) },
		// date shows a day, a time.Time or a YYYY-MM-DD, as "måndag 30 november".
		"date": func(d any) string { return formatDate(p.texts, lang, d) },
		// clock shows a time of day in the schools' zone: "08:15".
		"clock": func(t time.Time) string { return t.In(register.SchoolDay).Format("15:04") },
		// value is what was typed into a field of the form shown again.
		"value": func(v *View, field string) string {
			if v.Form == nil {
				return ""
			}
			return v.Form.Get(field)
		},
		// fieldError is the error of a field, "" if none.
		"fieldError": func(v *View, field string) string {
			for _, e := range v.Errors {
				if e.Field == field {
					return e.Message
				}
			}
			return ""
		},
		"percent": func(part, whole int) int {
			if whole == 0 {
				return 0
			}
			return part * 100 / whole
		},
	}
}

// formatDate shows d in lang: the weekday and month names come from the catalogue.
func formatDate(texts Catalogue, lang string, d any) string {
	var t time.Time
	switch v := d.(type) {
	case time.Time:
		t = v.In(register.SchoolDay)
	case string:
		parsed, err := time.ParseInLocation(time.DateOnly, v, register.SchoolDay)
		if err != nil {
			return v
		}
		t = parsed
	default:
		return fmt.Sprint(d)
	}
	return texts.T(lang, "date.format", texts.T(lang, "weekday."+strings.ToLower(t.Weekday().String())), t.Day(),
		texts.T(lang, "month."+strings.ToLower(t.Month().String())))
}

// partial renders one partial template of an area (a "define" in its _*.html) with v, for the
// start page's sections.
func (p *pages) partial(area, name string, v *View) (template.HTML, error) {
	t, ok := p.partials[v.Lang][area]
	if !ok {
		return "", fmt.Errorf("web: no area %s", area)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // rendered by html/template: escaped already
}
