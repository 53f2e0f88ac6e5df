package register

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/plaintext"
)

// DecodeDocument reads an import document strictly: every member it does not know, every
// value of the wrong JSON type and every string that is not plain text (see plaintext) is reported with its location as a JSON pointer
// ("/persons/3/givenName"), all of them at once. A body that is not one JSON object is a single
// problem at "".
func DecodeDocument(data []byte) (*Document, []errs.FieldError) {
	var d Document
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil || dec.More() || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return nil, []errs.FieldError{{Field: "", Detail: "the document is not a single valid JSON object"}}
	}
	var problems []errs.FieldError
	plaintext.Walk(raw, "", func(field, detail string) {
		problems = append(problems, errs.FieldError{Field: field, Detail: detail})
	})
	walk(raw, reflect.TypeOf(d), "", &problems)
	if len(problems) > 0 {
		return nil, problems
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, []errs.FieldError{{Field: "", Detail: "the document could not be read"}}
	}
	return &d, nil
}

// walk checks raw against t and records each problem under path.
func walk(raw json.RawMessage, t reflect.Type, path string, problems *[]errs.FieldError) {
	fail := func(detail string) { *problems = append(*problems, errs.FieldError{Field: path, Detail: detail}) }
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return // absent: the validator says whether it was required
	}
	switch t.Kind() {
	case reflect.Pointer:
		walk(raw, t.Elem(), path, problems)
	case reflect.Struct:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			fail("must be an object")
			return
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			fields[name] = t.Field(i).Type
		}
		for _, name := range sortedKeys(members) {
			ft, known := fields[name]
			if !known {
				*problems = append(*problems, errs.FieldError{Field: path + "/" + name, Detail: "is not a known member"})
				continue
			}
			walk(members[name], ft, path+"/"+name, problems)
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			fail("must be an array")
			return
		}
		for i, item := range items {
			walk(item, t.Elem(), fmt.Sprintf("%s/%d", path, i), problems)
		}
	default:
		if json.Unmarshal(raw, reflect.New(t).Interface()) != nil {
			fail("must be " + map[reflect.Kind]string{reflect.String: "a string", reflect.Int: "a whole number", reflect.Float64: "a number",
				reflect.Bool: "true or false"}[t.Kind()])
		}
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	return slices.Sorted(maps.Keys(m))
}
