package app

import (
	"reflect"
	"testing"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/workflows"
)

// Every activity a workflow calls (workflows.DeclareActivity) is a method the worker registers,
// under the same name and with the same types, and every registered method is declared: a
// typed call cannot reach a missing or differently shaped activity at run time.
func TestEveryActivityIsRegistered(t *testing.T) {
	registered := map[string]reflect.Type{}
	structs := []any{Activities(config.Config{}, nil)}
	for _, m := range Modules(area.Env{}) {
		structs = append(structs, m.Activities...)
	}
	for _, s := range structs {
		v := reflect.ValueOf(s)
		for i := range v.NumMethod() {
			name := v.Type().Method(i).Name
			if _, twice := registered[name]; twice {
				t.Errorf("two activities are registered as %s", name)
			}
			registered[name] = v.Method(i).Type()
		}
	}
	declared := map[string]bool{}
	for _, sig := range workflows.DeclaredActivities() {
		declared[sig.Name] = true
		fn, ok := registered[sig.Name]
		switch {
		case !ok:
			t.Errorf("%s is declared, but no activity is registered under that name", sig.Name)
		case !sig.Matches(fn):
			t.Errorf("%s is declared as taking %v and answering %v, but registered as %v", sig.Name, sig.In, sig.Out, fn)
		}
	}
	for name := range registered {
		if !declared[name] {
			t.Errorf("the activity %s is registered but no workflow declares it", name)
		}
	}
	if len(declared) == 0 {
		t.Fatal("no activity is declared")
	}
}
