package policies

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/register"
)

// Request is one question to the Authorizer.
type Request struct {
	Person string            // the signed-in person's register id
	Method string            // HTTP method
	Route  string            // route pattern, e.g. /api/v1/persons/:personId
	Target string            // the route's first path parameter's name, e.g. personId; "" if none
	ID     string            // that parameter's value
	Params map[string]string // all path parameters
}

// Decision is the Authorizer's answer.
type Decision struct {
	Allowed bool
	// SeesProtected: the viewer has a need to know persons with a protection marking in the
	// target (e.g. the members of a group they teach). Handlers leave such persons out otherwise.
	SeesProtected bool
	// StaffNeedToKnow: the viewer's need to know reaches the protected persons a response names
	// besides its target (a pupil's other adults, the people a process told): SeesProtected as
	// staff of the target's own school unit, through a duty held there today or by teaching or
	// mentoring the target, and never as one of its custodians or as the target themselves. A
	// guardian has need to know of their child, not of the child's other guardian, even when the
	// guardian also works at the school.
	StaffNeedToKnow bool
	// Relations are the viewer's relations to the target: self, custodian, teacher, mentor,
	// assignee, participant.
	Relations map[string]bool
	// Exists: the target exists. A refusal hides this for persons, groups, schools, duties and
	// processes (404 either way); for a task it does not (403 when it is someone else's).
	Exists bool
}

// Authorizer decides with the Casbin model and policy over the register's facts, held in memory:
// a Snapshot of the persons, groups and relations in force today and the duties (Casbin's g),
// reloaded when the register's version moves (every change bumps it, in its own transaction)
// and when the date turns. Each request reads the version first, so a change is honoured by the
// next request, on every instance; the change listener (Watch) usually reloads before that.
type Authorizer struct {
	db      *pgxpool.Pool
	targets Targets // the areas' own targets (targets.go)

	reloading sync.Mutex   // one reload at a time; requests that find the snapshot stale wait for it
	notified  atomic.Int64 // change notifications received (see Watch)

	mu       sync.RWMutex
	enforcer *casbin.Enforcer
	// byRoute holds, for each method and route, an enforcer with that route's policy rows only,
	// sharing enforcer's roles: the matcher asks r.obj == p.obj && r.act == p.act first, so the
	// rows of other routes can never match, and a decision need not walk them. A route without
	// rows has none, and is refused.
	byRoute map[string]*casbin.Enforcer
	// snap holds the register's persons and groups and how people relate to them (custody,
	// teaching, mentoring, duties, protection markings), the organisations (their parents and the
	// huvudmän, the domain of routes about no particular target), at the register version and
	// date in snap.AsOf: the facts about a person or a group are read from it, not asked of the
	// database per request.
	snap *register.Snapshot
	// principals maps principal names to register persons, as SignIn found them at this version.
	principals map[string]string
	clients    map[string]Client // the registered machine clients by their tokens' subject
}

// New builds an Authorizer, with the areas' targets, and loads the register's snapshot.
func New(ctx context.Context, db *pgxpool.Pool, targets Targets) (*Authorizer, error) {
	a := &Authorizer{db: db, targets: targets}
	return a, a.Reload(ctx)
}

// Reload takes a fresh snapshot of duties and organisations.
func (a *Authorizer) Reload(ctx context.Context) error {
	a.reloading.Lock()
	defer a.reloading.Unlock()
	return a.reload(ctx)
}

func (a *Authorizer) reload(ctx context.Context) error {
	e, err := newEnforcer(Policy)
	if err != nil {
		return err
	}
	// The snapshot is read at one version; a change committed after it makes the next request
	// reload.
	snap, err := register.LoadSnapshot(ctx, a.db)
	if err != nil {
		return err
	}
	duties := snap.Duties
	clients, grants, err := loadClients(ctx, a.db)
	if err != nil {
		return err
	}
	grouping := make([][]string, 0, len(duties)+len(grants))
	for _, d := range duties {
		grouping = append(grouping, []string{d.PersonID, d.Role, d.OrgID})
	}
	for _, g := range grants {
		grouping = append(grouping, []string{g.Client, ClientRole(g.Resource), g.Org})
	}
	if len(grouping) > 0 {
		if _, err := e.AddGroupingPolicies(grouping); err != nil {
			return err
		}
	}
	byRoute, err := routeEnforcers(e)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.enforcer, a.byRoute, a.snap = e, byRoute, snap
	a.principals = map[string]string{}
	a.clients = clients
	a.mu.Unlock()
	return nil
}

// newEnforcer is an enforcer of the model with the policy rows of policy (CSV), and the function
// hasRelation the matcher asks of the register's relations.
func newEnforcer(policy string) (*casbin.Enforcer, error) {
	m, err := model.NewModelFromString(Model)
	if err != nil {
		return nil, err
	}
	e, err := casbin.NewEnforcer(m, stringadapter.NewAdapter(policy))
	if err != nil {
		return nil, err
	}
	e.EnableLog(false)
	e.EnableAutoSave(false) // duties come from the register; nothing is written back
	e.AddFunction("hasRelation", func(args ...any) (any, error) {
		rels, _ := args[0].(map[string]bool)
		name, _ := args[1].(string)
		return rels[name], nil
	})
	return e, nil
}

// routeEnforcers indexes all's policy rows by method and route: one enforcer for each, with the
// rows of its route, whose g() asks all's roles (the duties in force and the clients' grants).
func routeEnforcers(all *casbin.Enforcer) (map[string]*casbin.Enforcer, error) {
	rows, err := all.GetPolicy()
	if err != nil {
		return nil, err
	}
	csv := map[string]*strings.Builder{}
	for _, p := range rows { // sub, obj, act, protected
		key := p[2] + " " + p[1]
		if csv[key] == nil {
			csv[key] = &strings.Builder{}
		}
		fmt.Fprintf(csv[key], "p, %s\n", strings.Join(p, ", "))
	}
	roles := all.GetModel()["g"]["g"].RM
	out := make(map[string]*casbin.Enforcer, len(csv))
	for key, b := range csv {
		e, err := newEnforcer(b.String())
		if err != nil {
			return nil, err
		}
		e.GetModel()["g"]["g"].RM = roles
		out[key] = e
	}
	return out, nil
}

// Decide answers a request. A target that does not exist is refused like a forbidden one, so
// the caller cannot tell the two apart.
//
// It reads the register's version first, one indexed read of a one-row table, and brings the
// snapshot up to it: a change to the register holds on the very next request, on every
// instance. The decision itself is then made in memory, but for targets the register does not
// hold (tasks, processes, notifications, an area's own), whose facts are read with the version.
//
// Every id in the path is decided, not only the first (the target): a route about a pupil in a
// group reaches the pupil too, so the caller must reach the pupil by the route's own policy. A
// refusal for any id refuses the request as if its target did not exist.
func (a *Authorizer) Decide(ctx context.Context, r Request) (Decision, error) {
	version, today, err := register.Version(ctx, a.db)
	if err != nil {
		return Decision{}, err
	}
	return a.DecideAt(ctx, r, register.AsOf{Version: version, Today: today})
}

// DecideAt is Decide for a caller that has read the register's version itself (at): the
// snapshot is brought up to at, and the request decided over it.
func (a *Authorizer) DecideAt(ctx context.Context, r Request, at register.AsOf) (Decision, error) {
	if err := a.refreshTo(ctx, at); err != nil {
		return Decision{}, err
	}
	d, err := a.decide(ctx, r)
	if err != nil || !d.Allowed {
		return d, err
	}
	for _, name := range LaterTargets(r.Route) {
		ok, err := a.reaches(ctx, r, name)
		if err != nil || !ok {
			return Decision{}, err
		}
	}
	return d, nil
}

// LaterTargets names the id parameters of a route after its first (the target), in order.
// A date such as :day is not an id.
func LaterTargets(route string) []string {
	var later []string
	first := true
	for _, seg := range strings.Split(route, "/") {
		name, ok := strings.CutPrefix(seg, ":")
		if !ok {
			continue
		}
		if !first && strings.HasSuffix(name, "Id") {
			later = append(later, name)
		}
		first = false
	}
	return later
}

// reaches decides a later id of a request:
//   - personId (a pupil put in or taken out of a group): the route's policy, with the pupil as
//     its target, as if the route were about them alone;
//   - responsibleId (an adult made responsible for a child): the adult must exist, and an adult
//     with a protection marking is reached only with need to know in their own school units. An
//     adult without one is reached with the child: the relation gives them no access (only
//     custodial guardians act for a child, and custody comes only through the import).
func (a *Authorizer) reaches(ctx context.Context, r Request, name string) (bool, error) {
	sub := r
	sub.Target, sub.ID = "personId", r.Params[name]
	switch name {
	case "personId":
		d, err := a.decide(ctx, sub)
		return d.Allowed, err
	case "responsibleId":
		f := a.snapshot().Person(sub.ID, r.Person)
		if !f.Exists {
			return false, nil
		}
		if !f.Protected {
			return true, nil
		}
		d, err := a.decide(ctx, sub)
		return d.Allowed && d.SeesProtected, err
	default:
		return false, fmt.Errorf("policies: no rule for the later path parameter %q", name)
	}
}

// decide answers a request about its target, the route's first id.
func (a *Authorizer) decide(ctx context.Context, r Request) (Decision, error) {
	t, err := a.target(ctx, r)
	if err != nil || !t.exists {
		return Decision{}, err
	}
	// Facts read from the database came with the register version they were read at, in the
	// same statement: the snapshot is brought up to it before it decides.
	if t.asOf != nil {
		if err := a.refreshTo(ctx, *t.asOf); err != nil {
			return Decision{}, err
		}
	}
	if t.rootsOnly {
		a.mu.RLock()
		t.own = append([]string(nil), a.snap.Roots...)
		a.mu.RUnlock()
	}
	t.domains = a.withAncestors(t.own)
	if len(t.own) == 0 {
		t.own = []string{""} // relation rows still apply to a target outside every school
	}
	if len(t.domains) == 0 {
		t.domains = []string{""}
	}
	exists := Decision{Exists: true}
	a.mu.RLock()
	defer a.mu.RUnlock()
	route := a.byRoute[r.Method+" "+r.Route]
	if route == nil {
		return exists, nil // no row allows the route: deny by default
	}
	enforce := func(protected string, domains []string) (bool, error) {
		for _, dom := range domains {
			ok, err := route.Enforce(r.Person, dom, r.Route, r.Method, t.relations, protected)
			if ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	}
	// Need to know (rows marked yes) holds only in the target's own school units, never through
	// a role above them; a protected target is reached by nothing else.
	needToKnow, err := enforce("yes", t.own)
	if err != nil || needToKnow {
		staff := needToKnow && !t.relations["custodian"] && !t.relations["self"] &&
			(t.relations["teacher"] || t.relations["mentor"] || a.holdsDutyIn(r.Person, t.own))
		return Decision{Allowed: needToKnow, SeesProtected: needToKnow, StaffNeedToKnow: staff, Relations: t.relations, Exists: true}, err
	}
	if t.protected {
		return exists, nil
	}
	ok, err := enforce("no", t.domains)
	return Decision{Allowed: ok, Relations: t.relations, Exists: true}, err
}

// Notified counts the register change notifications Watch has received and acted on.
func (a *Authorizer) Notified() int64 { return a.notified.Load() }

// refreshTo reloads the snapshot if it is older than the register at (a version read by this
// request), or of another day. Requests that find it behind together wait for one reload.
func (a *Authorizer) refreshTo(ctx context.Context, at register.AsOf) error {
	behind := func() bool {
		a.mu.RLock()
		defer a.mu.RUnlock()
		return at.Version > a.snap.AsOf.Version || at.Today > a.snap.AsOf.Today // dates as YYYY-MM-DD
	}
	if !behind() {
		return nil
	}
	a.reloading.Lock()
	defer a.reloading.Unlock()
	if !behind() {
		return nil // another request reloaded meanwhile
	}
	// The reload serves every request waiting for it: one that gives up does not abort it.
	return a.reload(context.WithoutCancel(ctx))
}

// refresh reloads the snapshot if it is older than the register now, or of an earlier day.
func (a *Authorizer) refresh(ctx context.Context) error {
	version, today, err := register.Version(ctx, a.db)
	if err != nil {
		return err
	}
	return a.refreshTo(ctx, register.AsOf{Version: version, Today: today})
}

// target is what the register says about a request's target.
type target struct {
	exists    bool
	protected bool
	own       []string // the target's own school units (for need to know)
	domains   []string // those and every organisation above them
	relations map[string]bool
	asOf      *register.AsOf // the version facts read from the database were read at; nil: from the snapshot
	rootsOnly bool           // a route about no target: its domain is the huvudmän
}

func (a *Authorizer) target(ctx context.Context, r Request) (target, error) {
	t := target{exists: true, relations: map[string]bool{"signed-in": true}}
	switch r.Target {
	case "":
		t.rootsOnly = true // the roots are read from the snapshot once it is fresh
	case "personId":
		f := a.snapshot().Person(r.ID, r.Person)
		if !f.Exists {
			return target{}, nil
		}
		t.protected = f.Protected
		t.relations["self"] = r.ID == r.Person
		t.relations["custodian"] = f.Custodian
		t.relations["teacher"] = f.Teacher
		t.relations["mentor"] = f.Mentor
		t.own = f.Orgs
	case "groupId":
		f := a.snapshot().Group(r.ID, r.Person)
		if !f.Exists {
			return target{}, nil
		}
		t.relations["teacher"] = f.Teacher
		t.relations["mentor"] = f.Mentor
		t.own = []string{f.Org}
	case "schoolId":
		ok, at, err := register.OrgExists(ctx, a.db, r.ID)
		if err != nil || !ok {
			return target{}, err
		}
		t.asOf = &at
		t.own = []string{r.ID}
	case "taskId":
		f, err := register.FactsAboutTask(ctx, a.db, r.ID, r.Person)
		if err != nil || !f.Exists {
			return target{}, err
		}
		t.asOf = &f.AsOf
		t.relations["assignee"] = f.Assignee
		t.own = []string{f.SchoolID}
	case "processId":
		f, err := register.FactsAboutProcess(ctx, a.db, r.ID, r.Person)
		if err != nil || !f.Exists {
			return target{}, err
		}
		t.asOf = &f.AsOf
		t.relations["participant"] = f.Participant
		if f.SubjectPerson != "" {
			p := a.snapshot().Person(f.SubjectPerson, r.Person)
			t.protected = p.Protected
			// The pupil's teachers and mentors know its processes at its own schools; one the
			// organiser runs about where the pupil goes next (a school choice, an offer) is for its
			// guardians and the organiser, not for the staff of the school it attends now.
			here := slices.Contains(p.Orgs, f.SchoolID)
			t.relations["custodian"], t.relations["teacher"], t.relations["mentor"] = p.Custodian, p.Teacher && here, p.Mentor && here
		}
		t.own = []string{f.SchoolID}
	case "notificationId":
		exists, recipient, at, err := register.IsRecipient(ctx, a.db, r.ID, r.Person)
		if err != nil || !exists {
			return target{}, err
		}
		t.asOf = &at
		t.relations["recipient"] = recipient
	case "dutyId":
		org, ok, at, err := register.DutyOrg(ctx, a.db, r.ID)
		if err != nil || !ok {
			return target{}, err
		}
		t.asOf = &at
		t.own = []string{org}
	default:
		if find, ok := a.targets[r.Target]; ok {
			return a.areaTarget(ctx, find, r)
		}
		return target{}, fmt.Errorf("policies: no target rule for path parameter %q", r.Target)
	}
	return t, nil
}

// snapshot is the register's snapshot the Authorizer decides over now.
func (a *Authorizer) snapshot() *register.Snapshot {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.snap
}

// holdsDutyIn reports whether person holds a duty today in one of orgs, from the snapshot. The
// caller holds a.mu.
func (a *Authorizer) holdsDutyIn(person string, orgs []string) bool {
	for _, o := range orgs {
		if o != "" && len(a.enforcer.GetRolesForUserInDomain(person, o)) > 0 {
			return true
		}
	}
	return false
}

// withAncestors lists orgs and every organisation above them.
func (a *Authorizer) withAncestors(orgs []string) []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for _, o := range orgs {
		for o != "" && !seen[o] {
			seen[o] = true
			out = append(out, o)
			o = a.snap.Parents[o]
		}
	}
	return out
}
