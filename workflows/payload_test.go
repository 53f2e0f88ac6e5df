package workflows

import (
	"slices"
	"testing"
)

// A field required when another has a value: the reasons of a denial.
func TestAFieldRequiredWhenAnotherHasAValue(t *testing.T) {
	expects := []Field{
		{Name: "reason", Type: "text", RequiredWhen: &FieldValue{Field: "decision", Value: "denied"}},
		{Name: "decision", Type: "choice", Choices: []string{"granted", "denied"}, Required: true},
	}
	for _, c := range []struct {
		payload map[string]any
		want    []FieldProblem
	}{
		{map[string]any{"decision": "granted"}, nil},
		{map[string]any{"decision": "granted", "reason": " "}, nil},
		{map[string]any{"decision": "denied", "reason": "Resan kan göras på lovet."}, nil},
		{map[string]any{"decision": "denied"}, []FieldProblem{{"reason", "is required when decision is denied"}}},
		{map[string]any{"decision": "denied", "reason": " \n\t"}, []FieldProblem{{"reason", "is required when decision is denied"}}},
		{map[string]any{"decision": "denied", "reason": nil}, []FieldProblem{{"reason", "is required when decision is denied"}}},
		{map[string]any{"reason": "x"}, []FieldProblem{{"decision", "is required"}}},
	} {
		if got := checkPayload(expects, c.payload); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.payload, got, c.want)
		}
	}
}

// A required text of nothing but spaces is not given.
func TestARequiredTextOfSpacesIsNotGiven(t *testing.T) {
	expects := []Field{{Name: "answer", Type: "text", Required: true}}
	if got := checkPayload(expects, map[string]any{"answer": "  "}); !slices.Equal(got, []FieldProblem{{"answer", "is required"}}) {
		t.Errorf("%v, want answer required", got)
	}
}

// A record is what an area's route recorded: a string, required like any field.
func TestARecordIsGivenAsAString(t *testing.T) {
	expects := []Field{{Name: "grades", Type: "record", Required: true}}
	for _, c := range []struct {
		payload map[string]any
		want    []FieldProblem
	}{
		{map[string]any{"grades": "25"}, nil},
		{map[string]any{}, []FieldProblem{{"grades", "is required"}}},
		{map[string]any{"grades": " "}, []FieldProblem{{"grades", "is required"}}},
		{map[string]any{"grades": 25}, []FieldProblem{{"grades", "must be a string"}}},
	} {
		if got := checkPayload(expects, c.payload); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.payload, got, c.want)
		}
	}
}
