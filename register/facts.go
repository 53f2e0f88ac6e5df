package register

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The questions every authorization decision asks of the register. The Authorizer answers
// those about persons and groups from its Snapshot (snapshot.go), brought up to the register's
// version before each request; FactsAboutPerson and FactsAboutGroup are the same questions asked
// of the database, the definition the Snapshot is tested against (TestSnapshotAnswersAsTheDatabase).
// The others are answered from the database at the moment of the request.

// ActiveDuty is a role a person holds at an organisation today.
type ActiveDuty struct {
	PersonID string
	Role     string
	OrgID    string
}

// orgTree maps every organisation to its parent ("" for none), and lists the huvudmän.
func orgTree(ctx context.Context, tx pgx.Tx) (parents map[string]string, huvudman []string, err error) {
	rows, err := tx.Query(ctx, `SELECT id::text AS id, coalesce(parent_organisation_id::text, '') AS parent,
		organisation_type = 'Huvudman' AS huvudman FROM organisations`)
	if err != nil {
		return nil, nil, err
	}
	type org struct {
		ID       string `db:"id"`
		Parent   string `db:"parent"`
		Huvudman bool   `db:"huvudman"`
	}
	orgs, err := pgx.CollectRows(rows, pgx.RowToStructByName[org])
	if err != nil {
		return nil, nil, err
	}
	parents = make(map[string]string, len(orgs))
	for _, o := range orgs {
		parents[o.ID] = o.Parent
		if o.Huvudman {
			huvudman = append(huvudman, o.ID)
		}
	}
	return parents, huvudman, nil
}

// PersonByPrincipalName finds the person who signs in as name.
func PersonByPrincipalName(ctx context.Context, db *pgxpool.Pool, name string) (string, bool, error) {
	var id string
	err := db.QueryRow(ctx, `SELECT person_id::text FROM person_principal_names WHERE principal_name = $1`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}

// PersonFacts is what the register knows about a person as seen by a viewer.
type PersonFacts struct {
	AsOf      AsOf // the register version and date the facts were read at
	Exists    bool
	Protected bool     // securityMarking is Sekretessmarkering or Skyddad folkbokföring
	Orgs      []string // where the person is enrolled, placed or on duty today
	Custodian bool     // the viewer is the person's custodial guardian (vårdnadshavare)
	Teacher   bool     // the viewer teaches a group the person is in
	Mentor    bool     // the viewer mentors a group the person is in
}

// FactsAboutPerson answers, in one query, how viewer relates to person today.
func FactsAboutPerson(ctx context.Context, db *pgxpool.Pool, person, viewer string) (PersonFacts, error) {
	f := PersonFacts{Exists: true}
	var marking string
	err := db.QueryRow(ctx, `
		SELECT (SELECT version FROM register_version), current_date::text, p.security_marking,
		  ARRAY(SELECT e.enroled_at::text FROM enrolments e WHERE e.person_id = p.id AND `+Active("e")+`
		        UNION SELECT pl.placed_at::text FROM placements pl WHERE pl.child_id = p.id AND `+Active("pl")+`
		        UNION SELECT d.duty_at::text FROM duties d WHERE d.person_id = p.id AND `+Active("d")+`),
		  EXISTS (SELECT 1 FROM responsibles r WHERE r.person_id = p.id AND r.responsible_id = $2
		          AND `+HasCustody("r")+` AND `+Active("r")+`),
		  EXISTS (SELECT 1 FROM group_memberships m
		          JOIN group_assignments a ON a.group_id = m.group_id AND a.assignment_role = 'Lärare'
		          JOIN duties d ON d.id = a.duty_id
		          WHERE m.person_id = p.id AND d.person_id = $2
		            AND `+Active("m")+` AND `+Active("a")+` AND `+Active("d")+`),
		  EXISTS (SELECT 1 FROM group_memberships m
		          JOIN group_assignments a ON a.group_id = m.group_id AND a.assignment_role = 'Mentor'
		          JOIN duties d ON d.id = a.duty_id
		          WHERE m.person_id = p.id AND d.person_id = $2
		            AND `+Active("m")+` AND `+Active("a")+` AND `+Active("d")+`)
		FROM persons p WHERE p.id = $1`, person, viewer).Scan(&f.AsOf.Version, &f.AsOf.Today, &marking, &f.Orgs, &f.Custodian, &f.Teacher, &f.Mentor)
	if errors.Is(err, pgx.ErrNoRows) {
		return PersonFacts{}, nil
	}
	f.Protected = Protected(marking)
	return f, err
}

// GroupFacts is what the register knows about a group as seen by a viewer.
type GroupFacts struct {
	AsOf    AsOf // the register version and date the facts were read at
	Exists  bool
	Org     string
	Teacher bool // the viewer teaches the group
	Mentor  bool // the viewer mentors the group
}

// FactsAboutGroup answers how viewer relates to group today.
func FactsAboutGroup(ctx context.Context, db *pgxpool.Pool, group, viewer string) (GroupFacts, error) {
	f := GroupFacts{Exists: true}
	err := db.QueryRow(ctx, `
		SELECT (SELECT version FROM register_version), current_date::text, g.organisation_id::text,
		  EXISTS (SELECT 1 FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		          WHERE a.group_id = g.id AND a.assignment_role = 'Lärare' AND d.person_id = $2
		            AND `+Active("a")+` AND `+Active("d")+`),
		  EXISTS (SELECT 1 FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		          WHERE a.group_id = g.id AND a.assignment_role = 'Mentor' AND d.person_id = $2
		            AND `+Active("a")+` AND `+Active("d")+`)
		FROM groups g WHERE g.id = $1`, group, viewer).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.Org, &f.Teacher, &f.Mentor)
	if errors.Is(err, pgx.ErrNoRows) {
		return GroupFacts{}, nil
	}
	return f, err
}

// OrgExists reports whether an organisation exists.
func OrgExists(ctx context.Context, db *pgxpool.Pool, org string) (bool, AsOf, error) {
	var ok bool
	var at AsOf
	err := db.QueryRow(ctx, `SELECT `+`(SELECT version FROM register_version), current_date::text,
		EXISTS (SELECT 1 FROM organisations WHERE id = $1)`, org).Scan(&at.Version, &at.Today, &ok)
	return ok, at, err
}

// DutyOrg returns the organisation of a duty, if the duty exists.
func DutyOrg(ctx context.Context, db *pgxpool.Pool, duty string) (string, bool, AsOf, error) {
	var org string
	var at AsOf
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, duty_at::text
		FROM duties WHERE id = $1`, duty).Scan(&at.Version, &at.Today, &org)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, AsOf{}, nil
	}
	return org, err == nil, at, err
}

// AsOf is the register version and the database's date that facts were read at, in the same
// statement: an authorization snapshot older than them is reloaded before it decides.
type AsOf struct {
	Version int64
	Today   string
}

// Active is the SQL condition for a row of alias whose period covers today.
func Active(alias string) string {
	return "(" + alias + ".start_date IS NULL OR " + alias + ".start_date <= current_date) AND (" +
		alias + ".end_date IS NULL OR " + alias + ".end_date >= current_date)"
}

// TaskFacts is what the register knows about a task as seen by a viewer.
type TaskFacts struct {
	AsOf     AsOf // the register version and date the facts were read at
	Exists   bool
	SchoolID string
	Assignee bool // the viewer is the assignee, or holds the assigned role in the assigned school today
}

// FactsAboutTask answers how viewer relates to a task.
func FactsAboutTask(ctx context.Context, db *pgxpool.Pool, task, viewer string) (TaskFacts, error) {
	f := TaskFacts{Exists: true}
	err := db.QueryRow(ctx, `
		SELECT (SELECT version FROM register_version), current_date::text, coalesce(t.school_id::text, ''),
		  coalesce(t.assignee_id = $2, false) OR EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $2
		      AND d.duty_role = t.assignee_role AND d.duty_at = t.assignee_org AND `+Active("d")+`)
		FROM tasks t WHERE t.id = $1`, task, viewer).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolID, &f.Assignee)
	if errors.Is(err, pgx.ErrNoRows) {
		return TaskFacts{}, nil
	}
	return f, err
}

// ProcessFacts is what the register knows about a process as seen by a viewer.
type ProcessFacts struct {
	AsOf          AsOf // the register version and date the facts were read at
	Exists        bool
	SchoolID      string
	SubjectPerson string
	Participant   bool // the viewer has been assigned, or has completed, a task of the process
}

// FactsAboutProcess answers how viewer relates to a process.
func FactsAboutProcess(ctx context.Context, db *pgxpool.Pool, process, viewer string) (ProcessFacts, error) {
	f := ProcessFacts{Exists: true}
	err := db.QueryRow(ctx, `
		SELECT (SELECT version FROM register_version), current_date::text, coalesce(p.school_id::text, ''), coalesce(p.subject_person::text, ''),
		  EXISTS (SELECT 1 FROM tasks t WHERE t.process_id = p.id AND (t.assignee_id = $2 OR t.completed_by = $2))
		  OR EXISTS (SELECT 1 FROM process_events e WHERE e.process_id = p.id AND e.detail->>'assignee' = $2::text)
		FROM processes p WHERE p.id = $1`, process, viewer).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolID, &f.SubjectPerson, &f.Participant)
	if errors.Is(err, pgx.ErrNoRows) {
		return ProcessFacts{}, nil
	}
	return f, err
}

// IsRecipient reports whether a notification exists and whether viewer is its recipient.
func IsRecipient(ctx context.Context, db *pgxpool.Pool, notification, viewer string) (exists, recipient bool, at AsOf, err error) {
	err = db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, true, recipient_id = $2
		FROM notifications WHERE id = $1`, notification, viewer).Scan(&at.Version, &at.Today, &exists, &recipient)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, AsOf{}, nil
	}
	return exists, recipient, at, err
}
