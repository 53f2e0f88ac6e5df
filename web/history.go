package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// A process's history in words: each event a sentence saying what happened, to whom and by
// whom, with the people named as the API names them to the viewer (PersonName). The API has
// already left out what the viewer may not know (api/processes.go); a name the viewer may not
// read is left out of the sentence, never shown as an id.

// HistoryLine is one event of a history as the page shows it.
type HistoryLine struct {
	At   time.Time
	Text string
}

// eventDetail is what the history's events carry besides their kind (activities/tasks.go,
// activities/notifications.go): ids and decisions, no names.
type eventDetail struct {
	Kind      string         `json:"kind"`      // created: the task's kind
	Assignee  string         `json:"assignee"`  // assigned, escalated, reassigned: a person
	Role      string         `json:"role"`      // ... or a duty role at the school
	Recipient string         `json:"recipient"` // notified
	Channels  []string       `json:"channels"`  // notified
	Channel   string         `json:"channel"`   // delivery-failed
	Decision  map[string]any `json:"decision"`  // completed: the choices made
}

// knowPupil names the pupil a process is about and, into names, the adults responsible for
// them: all as the API's record of the pupil shows them to the viewer (a guardian is named in
// the child's record, not by a record of their own). It answers the pupil's name, "" if the
// viewer may not know it.
func (c *Ctx) knowPupil(names map[string]string, id string) string {
	var p register.PersonView
	if err := c.Get("/api/v1/persons/"+url.PathEscape(id), &p); err != nil {
		names[id] = ""
		return ""
	}
	for _, r := range p.Responsibles {
		names[r.Person.ID] = strings.TrimSpace(r.Person.GivenName + " " + r.Person.FamilyName)
	}
	names[id] = strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	return names[id]
}

// historyLines words the events of p. names holds the people named so far.
func (c *Ctx) historyLines(p store.ProcessView, names map[string]string) []HistoryLine {
	out := make([]HistoryLine, 0, len(p.Events))
	for _, e := range p.Events {
		var d eventDetail
		_ = json.Unmarshal(e.Detail, &d) // a detail that does not decode words as none
		actor := ""
		if e.Actor != nil && *e.Actor != "" {
			actor = c.PersonName(names, *e.Actor)
		}
		out = append(out, HistoryLine{At: e.At, Text: c.eventText(e.Kind, d, actor, names)})
	}
	return out
}

// eventText is one event's sentence.
func (c *Ctx) eventText(kind string, d eventDetail, actor string, names map[string]string) string {
	by := func(key, fallback string, args ...any) string {
		if actor == "" {
			return c.T(fallback, args...)
		}
		return c.T(key, append([]any{actor}, args...)...)
	}
	switch kind {
	case "created":
		// An area may name its task kinds for histories: "history.<kind>", a noun phrase.
		if key := "history." + d.Kind; d.Kind != "" && c.w.texts.Has(key) {
			return c.T("event.created.task", c.T(key))
		}
	case "assigned", "escalated", "reassigned":
		to := c.assigneeWords(d, names)
		if to == "" {
			break
		}
		if kind == "reassigned" {
			return by("event.reassigned.by", "event.reassigned.to", to)
		}
		return c.T("event."+kind+".to", to)
	case "completed":
		if answer := c.decisionWords(d.Decision); answer != "" {
			return by("event.completed.by", "event.completed.answer", answer)
		}
		if actor != "" {
			return c.T("event.completed.byonly", actor)
		}
	case "notified":
		channels := make([]string, 0, len(d.Channels))
		for _, ch := range d.Channels {
			channels = append(channels, c.T("event.channel."+ch))
		}
		via := strings.Join(channels, ", ")
		if d.Recipient != "" {
			if who := c.PersonName(names, d.Recipient); who != "" {
				return c.T("event.notified.to", who, via)
			}
		}
		return c.T("event.notified.via", via)
	case "delivery-failed":
		if d.Channel != "" {
			return c.T("event.delivery-failed.via", c.T("event.channel."+d.Channel))
		}
	}
	return c.T("event." + kind)
}

// assigneeWords names whom a step was given to: a person by name, or a role at the school; ""
// when the viewer may not know.
func (c *Ctx) assigneeWords(d eventDetail, names map[string]string) string {
	switch {
	case d.Assignee != "":
		return c.PersonName(names, d.Assignee)
	case d.Role != "":
		if key := "event.role." + d.Role; c.w.texts.Has(key) {
			return c.T(key)
		}
		return d.Role
	}
	return ""
}

// decisionWords says what a completed task decided: each choice by the catalogue's text for it.
func (c *Ctx) decisionWords(decision map[string]any) string {
	fields := make([]string, 0, len(decision))
	for f := range decision {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var words []string
	for _, f := range fields {
		value := fmt.Sprint(decision[f])
		if key := "choice." + f + "." + value; c.w.texts.Has(key) {
			words = append(words, c.T("event.quote", c.T(key)))
		} else if key := "event.answer." + value; c.w.texts.Has(key) {
			words = append(words, c.T(key))
		}
	}
	return strings.Join(words, ", ")
}
