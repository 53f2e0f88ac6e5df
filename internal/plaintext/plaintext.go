// Package plaintext is the one rule for text that users send: valid UTF-8 without the NUL
// character, and no longer than its field allows. PostgreSQL's text refuses NUL, and
// encoding/json silently replaces bytes that are not UTF-8, so both are refused before any
// handler or import sees them, naming the field.
package plaintext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem says in a user's words why s is not plain text, or "" when it is.
func Problem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return notUTF8
	case strings.ContainsRune(s, 0):
		return hasNUL
	}
	return ""
}

const (
	notUTF8 = "must be text in UTF-8"
	hasNUL  = "must not contain the NUL character (\\u0000)"
)

// TooLong says "must be at most max characters" when s is longer than max characters (not
// bytes), or "".
func TooLong(s string, max int) string {
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

// Walk reports every string of the JSON value raw, at any depth, that is not plain text: a
// value at its path (path/member, path/index), and a member's name at the object holding it.
// It checks text only; the shape of raw is the caller's to judge.
func Walk(raw []byte, path string, report func(field, detail string)) {
	// A NUL can reach a JSON string only as the escape \u0000, and bytes that are not UTF-8
	// only as themselves: a value without either needs no closer look.
	if utf8.Valid(raw) && !bytes.Contains(raw, []byte(`\u0000`)) {
		return
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	switch raw[0] {
	case '"':
		if !utf8.Valid(raw) {
			report(path, notUTF8)
			return
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.ContainsRune(s, 0) {
			report(path, hasNUL)
		}
	case '{':
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return
		}
		valuesValid := true
		for _, name := range slices.Sorted(maps.Keys(members)) {
			if strings.ContainsRune(name, 0) {
				report(path, "has a member name with the NUL character (\\u0000)")
			}
			valuesValid = valuesValid && utf8.Valid(members[name])
			Walk(members[name], path+"/"+name, report)
		}
		// encoding/json has already replaced the bytes of a name that are not UTF-8; they
		// show only in the object as sent.
		if valuesValid && !utf8.Valid(raw) {
			report(path, "has a member name that is not text in UTF-8")
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		for i, item := range items {
			Walk(item, path+"/"+strconv.Itoa(i), report)
		}
	}
}
