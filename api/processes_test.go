package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/store"
)

// For a reader who may not know a protected person, the history has them nowhere: the events
// about reaching them are left out, and they are neither actor nor assignee. Everyone else in
// it stays as they were.
func TestAHiddenPersonIsNowhereInTheHistory(t *testing.T) {
	const protected, other = "8b68e30d-287a-5b79-b703-beb6379d31ab", "66d095b9-1c5c-5ee4-9809-f9031d7dbd93"
	hidden := map[string]bool{protected: true}
	event := func(kind string, actor *string, detail string, assignee, recipient string) store.RecordedEvent {
		return store.RecordedEvent{ProcessEvent: store.ProcessEvent{At: time.Unix(0, 0), Kind: kind, Actor: actor, Detail: json.RawMessage(detail)},
			Assignee: assignee, Recipient: recipient}
	}
	p, o := protected, other
	cases := []struct {
		name   string
		in     store.RecordedEvent
		shown  bool
		actor  *string
		detail string
	}{
		{"telling them", event("notified", nil, `{"recipient":"`+p+`","purpose":"leave.decided","channels":["inapp","email"]}`, "", p),
			false, nil, ""},
		{"a delivery to them that failed", event("delivery-failed", nil, `{"notification":"n1","channel":"sms","reason":"x"}`, "", p),
			false, nil, ""},
		{"a step they completed", event("completed", &p, `{"decision":{"consent":"refuse"}}`, "", ""),
			true, nil, `{"decision":{"consent":"refuse"}}`},
		{"a step assigned to them", event("assigned", nil, `{"assignee":"`+p+`","dueAt":"2026-12-01T16:00:00Z"}`, p, ""),
			true, nil, `{"dueAt":"2026-12-01T16:00:00Z"}`},
		{"telling someone else", event("notified", nil, `{"recipient":"`+o+`","purpose":"leave.decided","channels":["inapp"]}`, "", o),
			true, nil, `{"recipient":"` + o + `","purpose":"leave.decided","channels":["inapp"]}`},
		{"a step someone else completed", event("completed", &o, `{}`, "", ""), true, &o, `{}`},
		{"a step assigned to someone else", event("assigned", nil, `{"assignee":"`+o+`"}`, o, ""),
			true, nil, `{"assignee":"` + o + `"}`},
	}
	for _, c := range cases {
		got, shown := withoutHidden(c.in, hidden)
		if shown != c.shown {
			t.Errorf("%s: shown %v, want %v", c.name, shown, c.shown)
			continue
		}
		if !shown {
			continue
		}
		if (got.Actor == nil) != (c.actor == nil) || (got.Actor != nil && *got.Actor != *c.actor) || string(got.Detail) != c.detail {
			t.Errorf("%s: actor %v, detail %s; want %v, %s", c.name, got.Actor, got.Detail, c.actor, c.detail)
		}
		if body, _ := json.Marshal(got); strings.Contains(string(body), protected) {
			t.Errorf("%s: %s names the hidden person", c.name, body)
		}
	}
}
