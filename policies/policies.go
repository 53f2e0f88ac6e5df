// Package policies holds Skolflow's authorization: the Casbin model and policy files beside this
// file, and the Authorizer that answers "may this person call this route on this target?" with
// facts from the register. Deny by default: a route without a policy row is refused.
package policies

import (
	"bufio"
	"bytes"
	_ "embed"
	"io/fs"
	"strings"

	"github.com/skolflow/skolflow"
)

// Model is the file model.conf, embedded so the binary carries it.
//
//go:embed model.conf
var Model string

// Policy is every folder's policy.csv as one: the kernel's (policies/policy.csv, the routes of
// the kernel) and each area's beside its handlers (skolflow.Policies gathers them).
var Policy = func() string {
	files, err := fs.Glob(skolflow.Policies, "*/policy.csv")
	if err != nil {
		panic(err) // a malformed pattern: a programming error
	}
	var all strings.Builder
	for _, f := range files {
		body, err := fs.ReadFile(skolflow.Policies, f)
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		all.Write(body)
		all.WriteString("\n")
	}
	return all.String()
}()

// Rule is one row of a policy.csv.
type Rule struct {
	Subject   string // a duty role, or a relation: anyone, signed-in, self, custodian, teacher, mentor
	Route     string // the route pattern, as Gin names it: /api/v1/persons/:personId
	Method    string
	Protected bool // the row reaches persons with a protection marking
}

// Rules parses every policy.csv.
func Rules() []Rule {
	var rules []Rule
	sc := bufio.NewScanner(bytes.NewReader([]byte(Policy)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) == 5 && f[0] == "p" {
			rules = append(rules, Rule{Subject: f[1], Route: f[2], Method: f[3], Protected: f[4] == "yes"})
		}
	}
	return rules
}

// Public reports whether route and method are open to anyone, signed in or not.
func Public(method, route string) bool {
	for _, r := range publicRules {
		if r.Route == route && r.Method == method {
			return true
		}
	}
	return false
}

var publicRules = func() []Rule {
	var out []Rule
	for _, r := range Rules() {
		if r.Subject == "anyone" {
			out = append(out, r)
		}
	}
	return out
}()
