// Package notify sends the platform's messages: it renders each purpose's template in the
// recipient's language and delivers it by email over SMTP or by SMS through an HTTP gateway.
// The in-app inbox needs no sending: the notification row is the message.
package notify

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/skolflow/skolflow"
	"github.com/skolflow/skolflow/register"
)

// Templates are <folder>/templates/<purpose>.<language>.txt, the kernel's here and each area's in
// its own folder (skolflow.Templates gathers them): the first line is the subject, the rest the
// body. Parameters are ids, dates and codes, never addresses ("publicURL", the platform's
// public address, begins each link to the page where a message is answered); the one name is the pupil's
// "pupilName", which Compose fills in as the recipient may read it (see compose.go). A message
// says what happened and where to look, and the signed-in app shows the rest. `capital`
// capitalises a sentence's first word: "en elev" begins a sentence as "En elev".
//
// templates maps each template's file name to its path.
var templates = func() map[string]string {
	paths, err := fs.Glob(skolflow.Templates, "*/templates/*.txt")
	if err != nil {
		panic(err) // a malformed pattern: a programming error
	}
	byName := map[string]string{}
	for _, p := range paths {
		if other, twice := byName[path.Base(p)]; twice {
			panic("notify: two templates " + p + " and " + other)
		}
		byName[path.Base(p)] = p
	}
	return byName
}()

// templateText is the text of purpose's template in language.
func templateText(purpose, language string) ([]byte, error) {
	p, ok := templates[purpose+"."+language+".txt"]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return fs.ReadFile(skolflow.Templates, p)
}

// hasTemplate tells whether purpose has a template in language.
func hasTemplate(purpose, language string) bool {
	_, ok := templates[purpose+"."+language+".txt"]
	return ok
}

// Languages the templates are written in; the first is the default.
var Languages = []string{"sv", "en"}

// Message is a rendered notification.
type Message struct {
	Subject string
	Body    string
}

// Localize turns RFC 3339 times among params into the schools' local time, as people read them.
func Localize(params map[string]string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			v = t.In(register.SchoolDay).Format("2006-01-02 15:04")
		}
		out[k] = v
	}
	return out
}

// Render renders purpose in language, falling back to Swedish.
func Render(purpose, language string, params map[string]string) (Message, error) {
	language = supported(language)
	text, err := templateText(purpose, language)
	if err != nil {
		return Message{}, fmt.Errorf("notify: no template for %s", purpose)
	}
	t, err := template.New(purpose).Funcs(template.FuncMap{"capital": capital}).Option("missingkey=zero").Parse(string(text))
	if err != nil {
		return Message{}, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, params); err != nil {
		return Message{}, err
	}
	subject, body, _ := strings.Cut(buf.String(), "\n")
	return Message{Subject: strings.TrimSpace(subject), Body: strings.TrimSpace(body) + "\n"}, nil
}

// supported is language if the templates are written in it, otherwise the default.
func supported(language string) string {
	if slices.Contains(Languages, language) {
		return language
	}
	return Languages[0]
}

// capital is s with its first letter in upper case.
func capital(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
