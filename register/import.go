package register

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/errs"
)

// ChangeChannel is the PostgreSQL NOTIFY channel on which every committed change to the
// register is announced, so that every API instance drops what it cached at once.
const ChangeChannel = "register_changed"

// ImportResult says what an import changed, per kind of row.
type ImportResult struct {
	Changed bool                    `json:"changed"`
	Counts  map[string]ImportCounts `json:"counts"`
}

// ImportCounts counts rows that were new, changed, or already as the document says.
type ImportCounts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Import validates the whole document first and, only if every row is valid, writes it in one
// transaction: all or nothing. Rows are matched by id, so importing the same document twice
// changes nothing the second time, and the result says so. Invalid documents come back as an
// errs.Invalid error naming every problem by its location.
func Import(ctx context.Context, db *pgxpool.Pool, d *Document) (ImportResult, error) {
	var res ImportResult
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var err error
		res, err = ImportTx(ctx, tx, d)
		return err
	})
	return res, err
}

// ImportTx is Import within tx, for a writer that changes more of the register in the same
// transaction (the SS 12000 sync, which also deletes). It bumps the register version if the
// document changed anything.
func ImportTx(ctx context.Context, tx pgx.Tx, d *Document) (ImportResult, error) {
	const op = "register.import"
	res := ImportResult{Counts: map[string]ImportCounts{}}
	problems, err := Validate(ctx, tx, d)
	if err != nil {
		return res, err
	}
	if len(problems) > 0 {
		return res, errs.E(op, errs.Invalid, errs.Msg(fmt.Sprintf("The document has %d problems; nothing was imported.", len(problems))), problems)
	}
	if err := keepOmitted(ctx, tx, d); err != nil {
		return res, err
	}
	for _, t := range importOrder(d) {
		c, err := upsert(ctx, tx, t)
		if err != nil {
			return res, fmt.Errorf("%s: %w", t.name, err)
		}
		res.Counts[t.kind] = c
		if c.Inserted+c.Updated > 0 {
			res.Changed = true
		}
	}
	if res.Changed {
		return res, Changed(ctx, tx)
	}
	return res, nil
}

// Changed records, inside the transaction that changes the register, that it changed: it bumps
// the register version and notifies every API instance on commit.
func Changed(ctx context.Context, tx pgx.Tx) error {
	// Noted for the transaction; the version is bumped and the change announced once, at commit
	// (migration 0039), however many statements changed the register.
	_, err := tx.Exec(ctx, "INSERT INTO register_changes DEFAULT VALUES ON CONFLICT DO NOTHING")
	return err
}

// Version is the register's current version (see Changed) and the database's date, which is
// the date every "in force today" question is answered for.
func Version(ctx context.Context, db *pgxpool.Pool) (version int64, today string, err error) {
	err = db.QueryRow(ctx, "SELECT version, current_date::text FROM register_version").Scan(&version, &today)
	return version, today, err
}

// keepOmitted fills in what the document leaves out of a person already in the register, so
// that a file without securityMarking never lifts a person's protection, and one without civicNo
// never erases it. Lifting a protection takes an explicit "securityMarking": "Ingen".
func keepOmitted(ctx context.Context, tx pgx.Tx, d *Document) error {
	var ids []string
	for _, p := range d.Persons {
		if p.SecurityMarking == "" || p.CivicNo == nil {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id::text AS id, security_marking, civic_no FROM persons WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return err
	}
	type held struct {
		ID      string  `db:"id"`
		Marking string  `db:"security_marking"`
		Civic   *string `db:"civic_no"`
	}
	found, err := pgx.CollectRows(rows, pgx.RowToStructByName[held])
	if err != nil {
		return err
	}
	current := make(map[string]held, len(found))
	for _, h := range found {
		current[h.ID] = h
	}
	for i := range d.Persons {
		p := &d.Persons[i]
		h, ok := current[p.ID]
		if !ok {
			continue
		}
		if p.SecurityMarking == "" {
			p.SecurityMarking = h.Marking
		}
		if p.CivicNo == nil {
			p.CivicNo = h.Civic
		}
	}
	return nil
}

// table is one kind of row to upsert: key columns first in cols.
type table struct {
	kind string // the document's name for it
	name string
	cols []string
	keys int // the first keys columns form the conflict key
	rows [][]any
}

// importOrder lists the tables so that every reference points at a table written before.
func importOrder(d *Document) []table {
	var (
		orgs, persons, names, resp, duties, certs, groups, members, assigns, years, terms, enrols, places [][]any
		syllabuses, activities, activityGroups, activityTeachers                                          [][]any
		orgAddresses, personAddresses                                                                     [][]any
	)
	for _, o := range d.Organisations {
		types := o.SchoolTypes
		if types == nil {
			types = []string{}
		}
		orgs = append(orgs, []any{o.ID, o.DisplayName, o.OrganisationType, o.OrganisationCode, o.ParentOrganisation,
			o.SchoolUnitCode, types, o.MunicipalityCode, o.StartDate, o.EndDate})
		if a := o.Address; a != nil {
			var kind *string
			if a.Type != "" {
				kind = &a.Type
			}
			orgAddresses = append(orgAddresses, []any{o.ID, kind, a.StreetAddress, a.Locality, a.PostalCode, a.Country, a.Latitude, a.Longitude})
		}
	}
	for _, p := range d.Persons {
		marking := p.SecurityMarking
		if marking == "" {
			marking = "Ingen"
		}
		var civic *string
		if p.CivicNo != nil {
			norm, _, _ := ParseCivicNo(*p.CivicNo) // validated already
			civic = &norm
		}
		persons = append(persons, []any{p.ID, p.GivenName, p.FamilyName, civic, marking})
		for _, n := range p.EduPersonPrincipalNames {
			names = append(names, []any{n, p.ID})
		}
		for _, a := range p.Addresses {
			personAddresses = append(personAddresses, []any{p.ID, AddressType(a), a.StreetAddress, a.Locality, a.PostalCode, a.Country, a.Latitude, a.Longitude})
		}
	}
	for _, r := range d.Responsibles {
		resp = append(resp, []any{r.Person, r.Responsible, r.RelationType, r.StartDate, r.EndDate})
	}
	for _, du := range d.Duties {
		duties = append(duties, []any{du.ID, du.Person, du.DutyAt, du.DutyRole, du.Signature, du.StartDate, du.EndDate})
	}
	for _, c := range d.TeacherCertifications {
		certs = append(certs, []any{c.Person, c.SubjectCode})
	}
	for _, g := range d.Groups {
		groups = append(groups, []any{g.ID, g.DisplayName, g.GroupType, g.SchoolType, g.Organisation, g.StartDate, g.EndDate})
	}
	for _, m := range d.GroupMemberships {
		members = append(members, []any{m.Group, m.Person, m.StartDate, m.EndDate})
	}
	for _, a := range d.GroupAssignments {
		assigns = append(assigns, []any{a.Group, a.Duty, a.AssignmentRole, a.StartDate, a.EndDate})
	}
	for _, y := range d.SchoolYears {
		years = append(years, []any{y.ID, y.Organisation, y.DisplayName, y.StartDate, y.EndDate})
	}
	for _, t := range d.Terms {
		terms = append(terms, []any{t.ID, t.SchoolYear, t.DisplayName, t.StartDate, t.EndDate})
	}
	for _, e := range d.Enrolments {
		enrols = append(enrols, []any{e.ID, e.Person, e.EnroledAt, e.SchoolType, e.SchoolYear, e.StartDate, e.EndDate})
	}
	for _, p := range d.Placements {
		places = append(places, []any{p.ID, p.Child, p.PlacedAt, p.Group, p.SchoolType, p.StartDate, p.EndDate})
	}
	for _, s := range d.Syllabuses {
		syllabuses = append(syllabuses, []any{s.ID, s.SchoolType, s.SubjectCode, s.SubjectName, s.CourseCode, s.CourseName, s.Points, s.GradeScale})
	}
	for _, a := range d.Activities {
		kind := a.ActivityType
		if kind == "" {
			kind = "Undervisning"
		}
		activities = append(activities, []any{a.ID, a.DisplayName, kind, a.Organisation, a.Syllabus, a.Graded, a.StartDate, a.EndDate})
		for _, g := range a.Groups {
			activityGroups = append(activityGroups, []any{a.ID, g})
		}
		for _, t := range a.Teachers {
			activityTeachers = append(activityTeachers, []any{a.ID, t})
		}
	}
	return []table{
		{"organisations", "organisations", []string{"id", "display_name", "organisation_type", "organisation_code",
			"parent_organisation_id", "school_unit_code", "school_types", "municipality_code", "start_date", "end_date"}, 1, orgs},
		{"organisationAddresses", "organisation_addresses", []string{"organisation_id", "address_type", "street_address",
			"locality", "postal_code", "country", "latitude", "longitude"}, 1, orgAddresses},
		{"persons", "persons", []string{"id", "given_name", "family_name", "civic_no", "security_marking"}, 1, persons},
		{"eduPersonPrincipalNames", "person_principal_names", []string{"principal_name", "person_id"}, 1, names},
		{"personAddresses", "person_addresses", []string{"person_id", "address_type", "street_address", "locality",
			"postal_code", "country", "latitude", "longitude"}, 2, personAddresses},
		{"responsibles", "responsibles", []string{"person_id", "responsible_id", "relation_type", "start_date", "end_date"}, 2, resp},
		{"duties", "duties", []string{"id", "person_id", "duty_at", "duty_role", "signature", "start_date", "end_date"}, 1, duties},
		{"teacherCertifications", "teacher_certifications", []string{"person_id", "subject_code"}, 2, certs},
		{"groups", "groups", []string{"id", "display_name", "group_type", "school_type", "organisation_id", "start_date", "end_date"}, 1, groups},
		{"groupMemberships", "group_memberships", []string{"group_id", "person_id", "start_date", "end_date"}, 2, members},
		{"groupAssignments", "group_assignments", []string{"group_id", "duty_id", "assignment_role", "start_date", "end_date"}, 3, assigns},
		{"schoolYears", "school_years", []string{"id", "organisation_id", "display_name", "start_date", "end_date"}, 1, years},
		{"terms", "terms", []string{"id", "school_year_id", "display_name", "start_date", "end_date"}, 1, terms},
		{"enrolments", "enrolments", []string{"id", "person_id", "enroled_at", "school_type", "school_year", "start_date", "end_date"}, 1, enrols},
		{"placements", "placements", []string{"id", "child_id", "placed_at", "group_id", "school_type", "start_date", "end_date"}, 1, places},
		{"syllabuses", "syllabuses", []string{"id", "school_type", "subject_code", "subject_name", "course_code", "course_name", "points", "grade_scale"}, 1, syllabuses},
		{"activities", "activities", []string{"id", "display_name", "activity_type", "organisation_id", "syllabus_id", "graded", "start_date", "end_date"}, 1, activities},
		{"activityGroups", "activity_groups", []string{"activity_id", "group_id"}, 2, activityGroups},
		{"activityTeachers", "activity_teachers", []string{"activity_id", "duty_id"}, 2, activityTeachers},
	}
}

// upsert writes t's rows with one statement: they are copied (COPY) into a temporary table of
// the same columns, and upserted from there. A row that is already as the document says is not
// touched, so it counts as unchanged and fires nothing. One statement, rather than one per row,
// is what lets a city's register (half a million objects, three million rows) be written in
// seconds, and it fires a statement trigger once per table.
func upsert(ctx context.Context, tx pgx.Tx, t table) (ImportCounts, error) {
	var c ImportCounts
	rows := lastByKey(t)
	if len(rows) == 0 {
		return c, nil
	}
	cols := strings.Join(t.cols, ", ")
	stage := pgx.Identifier{"import_" + t.name}.Sanitize()
	if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA", stage, cols, t.name)); err != nil {
		return c, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_" + t.name}, t.cols, pgx.CopyFromRows(rows)); err != nil {
		return c, err
	}
	// In key order, a city's rows go into the key's index page after page, not all over it.
	keys := strings.Join(t.cols[:t.keys], ", ")
	sql := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s ORDER BY %s ON CONFLICT (%s) ", t.name, cols, cols, stage, keys, keys)
	if rest := t.cols[t.keys:]; len(rest) > 0 {
		set := make([]string, len(rest))
		old := make([]string, len(rest))
		excluded := make([]string, len(rest))
		for i, col := range rest {
			set[i] = col + " = EXCLUDED." + col
			old[i] = t.name + "." + col
			excluded[i] = "EXCLUDED." + col
		}
		sql += fmt.Sprintf("DO UPDATE SET %s WHERE (%s) IS DISTINCT FROM (%s) ",
			strings.Join(set, ", "), strings.Join(old, ", "), strings.Join(excluded, ", "))
	} else {
		sql += "DO NOTHING "
	}
	sql += "RETURNING (xmax = 0) AS inserted" // true for an insert, false for an update
	sql = "WITH written AS (" + sql + ") SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written"
	if err := tx.QueryRow(ctx, sql).Scan(&c.Inserted, &c.Updated); err != nil {
		return c, err
	}
	c.Unchanged = len(rows) - c.Inserted - c.Updated
	_, err := tx.Exec(ctx, "DROP TABLE "+stage)
	return c, err
}

// lastByKey is t's rows with one row per key, the last the document gives: one statement
// may not write a row twice.
func lastByKey(t table) [][]any {
	at := make(map[string]int, len(t.rows))
	out := make([][]any, 0, len(t.rows))
	for _, row := range t.rows {
		parts := make([]string, t.keys)
		for i, v := range row[:t.keys] {
			parts[i] = fmt.Sprint(v)
		}
		key := strings.Join(parts, "\x00")
		if i, seen := at[key]; seen {
			out[i] = row
			continue
		}
		at[key] = len(out)
		out = append(out, row)
	}
	return out
}
