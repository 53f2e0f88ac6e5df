package attendance

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The register form's rows are the one part of the pages written in Go rather than in a
// template. A class is a long page, and html/template calls an escaper through reflection for
// every value it writes: some fourteen a pupil, which made the rows most of the page's cost
// (bench/issue-13, about 20 µs a pupil against about 1 µs here). Every value written here is
// escaped with html.EscapeString, and every text comes from the catalogue. The markup is the
// same the template would write: a fieldset a pupil, its name as the legend, and the choices
// labelled by wrapping them.

// rowTexts are the catalogue's texts every row shows, looked up once a page.
type rowTexts struct {
	present, absent, late, minutes string
	note                           func(key string) string // a row's note, from its catalogue key
}

// rowsHTML writes the form's fieldsets, one a pupil, with maxLate as the most minutes late.
func rowsHTML(rows []registerRow, maxLate int, texts rowTexts) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 900)
	esc := html.EscapeString
	max := strconv.Itoa(maxLate)
	for _, r := range rows {
		f := esc(r.Field())
		b.WriteString("<fieldset")
		if r.Note != "" {
			b.WriteString(` aria-describedby="` + f + `note"`)
		}
		b.WriteString(">\n<legend>" + esc(r.Name) + "</legend>\n")
		b.WriteString(`<input type="hidden" name="` + f + `person" value="` + esc(r.PersonID) + `">` + "\n")
		if r.Note != "" {
			b.WriteString(`<p id="` + f + `note"><strong>` + esc(texts.note(r.Note)) + "</strong></p>\n")
		}
		if r.StatusError != "" {
			b.WriteString(`<p class="field-error" id="` + f + `status-error">` + esc(r.StatusError) + "</p>\n")
		}
		b.WriteString(`<div class="choices">` + "\n")
		b.WriteString(`<label class="choice"><input type="radio" id="` + f + `status" name="` + f + `status" value="present"`)
		checked(&b, r.IsPresent())
		if r.StatusError != "" {
			b.WriteString(` aria-invalid="true" aria-describedby="` + f + `status-error"`)
		}
		b.WriteString("> " + esc(texts.present) + "</label>\n")
		b.WriteString(`<label class="choice"><input type="radio" name="` + f + `status" value="absent"`)
		checked(&b, r.Status == Absent)
		b.WriteString("> " + esc(texts.absent) + "</label>\n")
		b.WriteString(`<label class="choice"><input type="radio" name="` + f + `status" value="late"`)
		checked(&b, r.Status == Late)
		b.WriteString("> " + esc(texts.late) + "</label>\n")
		b.WriteString(`<label class="choice">` + esc(texts.minutes) + ` <input type="number" id="` + f + `minutesLate" name="` + f +
			`minutesLate" min="1" max="` + max + `" inputmode="numeric" value="` + esc(r.MinutesLate) + `"`)
		if r.MinutesError != "" {
			b.WriteString(` aria-invalid="true" aria-describedby="` + f + `minutesLate-error"`)
		}
		b.WriteString("></label>\n</div>\n")
		if r.MinutesError != "" {
			b.WriteString(`<p class="field-error" id="` + f + `minutesLate-error">` + esc(r.MinutesError) + "</p>\n")
		}
		b.WriteString("</fieldset>\n")
	}
	return template.HTML(b.String()) // every value above is escaped
}

func checked(b *strings.Builder, on bool) {
	if on {
		b.WriteString(" checked")
	}
}
