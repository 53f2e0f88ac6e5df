package policies

// How far each duty role in policy.csv reaches. A role that decides who may do what at a
// school, or that reads beyond what the school's own staff read, is given only by the organiser
// (huvudman): through the register import, or by its administrators. A school's administrator
// gives only the school's own roles.

// AuthorityRoles decide who may do what at a school: they come only through the import.
var AuthorityRoles = map[string]bool{"Rektor": true, "Skoladministratör": true, "Förskolechef": true}

// OrganiserRoles read at organiser level (the huvudman's officers, Övrig arbetsledning): the
// school's pupils and groups, its absence investigations. They come through the import or from
// an administrator of the organiser.
var OrganiserRoles = map[string]bool{"Övrig arbetsledning": true}

// SchoolRoles are the duty roles of policy.csv whose rows stay inside the school unit they are
// held at; a school's administrator may give them to the organiser's staff.
var SchoolRoles = map[string]bool{"Lärare": true, "Speciallärare/specialpedagog": true, "Kurator": true,
	"Skolsköterska": true, "Skolpsykolog": true, "Förstelärare": true, "Skolläkare": true, "Studie- och yrkesvägledare": true,
	"Fritidspedagog": true, "Förskollärare": true, "Barnskötare": true, "Lärarassistent": true, "Bibliotekarie": true,
	"Övrig pedagogisk personal": true, "Annan personal": true}

// relations are the policy subjects that are not duty roles but relations to the target.
var relations = map[string]bool{"anyone": true, "signed-in": true, "self": true, "custodian": true, "teacher": true,
	"mentor": true, "assignee": true, "participant": true, "recipient": true, "lesson-teacher": true,
	"activity-teacher": true, "grading-assignee": true, "grading-teacher": true,
	"document-staff": true, "document-principal": true, "document-custodian": true, "incident-reporter": true,
	"case-staff": true, "case-principal": true, "case-custodian": true}

// HoldsAbove reports whether person holds role today at an organisation above org (the
// organiser, or what lies between), as the current snapshot of duties says.
func (a *Authorizer) HoldsAbove(person, role, org string) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	for o := a.snap.Parents[org]; o != ""; o = a.snap.Parents[o] {
		if ok, _ := a.enforcer.HasGroupingPolicy(person, role, o); ok {
			return true
		}
	}
	return false
}
