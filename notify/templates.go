// Package notify sends the platform's messages: it renders each purpose's template in the
// recipient's language and delivers it by email over SMTP or by SMS through an HTTP gateway.
// The in-app inbox needs no sending: the notification row is the message.
package notify

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/skolflow/skolflow/register"
)

// Templates are templates/<purpose>.<language>.txt: the first line is the subject, the rest the
// body. Parameters are ids, dates and codes, never addresses; the one name is the pupil's
// "pupilName", which Compose fills in as the recipient may read it (see compose.go). A message
// says what happened and where to look, and the signed-in app shows the rest. `capital`
// capitalises a sentence's first word: "en elev" begins a sentence as "En elev".
//
//go:embed templates/*.txt
var templates embed.FS

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
	text, err := templates.ReadFile("templates/" + purpose + "." + language + ".txt")
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
