// Package policies holds Skolflow's authorization: the Casbin model and policy files beside this
// file, and the Authorizer that answers "may this person call this route on this target?" with
// facts from the register. Deny by default: a route without a policy row is refused.
package policies

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
)

// Model and Policy are the files model.conf and policy.csv, embedded so the binary carries them.
var (
	//go:embed model.conf
	Model string
	//go:embed policy.csv
	Policy string
)

// Rule is one row of policy.csv.
type Rule struct {
	Subject   string // a duty role, or a relation: anyone, signed-in, self, custodian, teacher, mentor
	Route     string // the route pattern, as Gin names it: /api/v1/persons/:personId
	Method    string
	Protected bool // the row reaches persons with a protection marking
}

// Rules parses policy.csv.
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
