package ss12000

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/sync/errgroup"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Sync keeps the register in step with a source register that serves SS 12000 (the city's, or
// another Skolflow's). The first run reads every object through the source's paging; each
// later run reads only what changed since the last run's watermark (meta.modified.after), and
// what was deleted (deletedEntities). A run is written in one transaction, validated as an
// import is: all or nothing, so a source that fails half-way leaves the register as it was and
// the next run does it all. A protected marking from the source takes effect on the next
// request everywhere, as every change of the register does (register.Changed).
//
// An object read is the source's whole object: the members the standard serves inside it (a
// group's members, a person's responsibles and enrolments, an activity's groups and teachers)
// replace what the register holds of them. So the source's client must be granted every
// resource, and persons with a protection marking: what it does not see would be removed.
//
// What the standard does not carry, Skolflow keeps: teachers' certifications, addresses'
// coordinates, whether an activity is graded and on which scale.

// Source is an SS 12000 server: its base URL (…/ss12000/v2.1 for a Skolflow) and the HTTP
// client that signs its requests in (OAuth 2.0 client credentials).
type Source struct {
	URL  string
	HTTP *http.Client
}

// SyncResult says what a run read and did.
type SyncResult struct {
	Full      bool      `json:"full"`      // the first run: everything was read
	Read      int       `json:"read"`      // objects read
	Deleted   int       `json:"deleted"`   // objects deleted
	Changed   bool      `json:"changed"`   // the register changed
	Watermark time.Time `json:"watermark"` // the next run reads what changed after this
	// Reading is the time spent reading the source; Writing the time of the transaction.
	Reading time.Duration `json:"readingNs"`
	Writing time.Duration `json:"writingNs"`
}

// overlap is how far before the newest change it read a run's watermark is put: a change the
// source committed late, with an earlier time, is read by the next run (a source transaction
// longer than this could still be missed). Reading an object twice changes nothing.
const overlap = 5 * time.Minute

// syncOrder is the resources a run reads, in an order where every reference is to something
// read before it or already in the register.
var syncOrder = []string{"organisations", "persons", "groups", "duties", "placements", "syllabuses", "activities"}

// readersAtOnce is how many of the source's lists a run reads at once.
const readersAtOnce = 3

// Run syncs the register from src once.
func (src Source) Run(ctx context.Context, db *pgxpool.Pool) (SyncResult, error) {
	const op = "ss12000.sync"
	var res SyncResult
	var since *time.Time
	if err := db.QueryRow(ctx, `SELECT watermark FROM ss12000_sync_state WHERE source = $1`, src.URL).Scan(&since); err != nil && err != pgx.ErrNoRows {
		return res, errs.E(op, err)
	}
	res.Full = since == nil
	began := time.Now()
	query := url.Values{"limit": {"1000"}}
	if since != nil {
		query.Set("meta.modified.after", since.UTC().Format(time.RFC3339Nano))
	}
	// The resources are read at once, a few at a time (the source builds a page while the last
	// is decoded here), and put in the document in syncOrder.
	pages := make([][]json.RawMessage, len(syncOrder))
	deleted := map[string][]string{}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readersAtOnce)
	for i, r := range syncOrder {
		g.Go(func() error {
			_, err := src.pages(gctx, r, query, func(raw json.RawMessage) error {
				pages[i] = append(pages[i], raw)
				return nil
			})
			if err != nil {
				return errs.E(op, errs.Unavailable, errs.Msg("The source register did not give all of "+r+"; nothing was written."), err)
			}
			return nil
		})
	}
	if since != nil {
		g.Go(func() error {
			query := url.Values{"limit": {"1000"}, "after": {since.UTC().Format(time.RFC3339Nano)}}
			if _, err := src.deletions(gctx, query, deleted); err != nil {
				return errs.E(op, errs.Unavailable, errs.Msg("The source register did not give its deletions; nothing was written."), err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}
	var doc register.Document
	var parts parts
	var latest time.Time // the newest meta.modified read: the source's own clock
	read := map[string]bool{}
	for i, r := range syncOrder {
		for _, raw := range pages[i] {
			var o struct {
				ID   string `json:"id"`
				Meta struct {
					Modified time.Time `json:"modified"`
				} `json:"meta"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return res, errs.E(op, errs.Unavailable, errs.Msg("The source register gave "+r+" that are not the standard's; nothing was written."), err)
			}
			read[o.ID] = true
			if o.Meta.Modified.After(latest) {
				latest = o.Meta.Modified
			}
			if err := add(&doc, &parts, r, raw); err != nil {
				return res, errs.E(op, errs.Unavailable, errs.Msg("The source register gave "+r+" that are not the standard's; nothing was written."), err)
			}
		}
		res.Read += len(pages[i])
	}
	// An object the source deleted and made again since is read, and stays.
	for member, ids := range deleted {
		deleted[member] = slices.DeleteFunc(ids, func(id string) bool { return read[id] })
	}
	doc.GroupAssignments = mergeAssignments(doc.GroupAssignments)
	// The next run reads from the newest change read, less the overlap, by the source's clock;
	// a run that read nothing leaves the watermark where it was.
	switch {
	case !latest.IsZero():
		res.Watermark = latest.Add(-overlap)
	case since != nil:
		res.Watermark = *since
	}
	res.Reading = time.Since(began)
	began = time.Now()
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// A city's rows are sorted, and its pairs hashed, in memory rather than in files.
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return err
		}
		imported, err := register.ImportTx(ctx, tx, &doc)
		if err != nil {
			return err
		}
		// The groups the activities read, and those deleted, had: who teaches them is looked at again.
		rows, err := tx.Query(ctx, `SELECT DISTINCT group_id::text FROM activity_groups WHERE activity_id = ANY ($1::uuid[])`,
			append(slices.Clone(parts.activities), deleted["activitites"]...))
		if err != nil {
			return err
		}
		if parts.formerGroups, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		replaced, err := parts.replace(ctx, tx)
		if err != nil {
			return err
		}
		n, err := deleteAll(ctx, tx, deleted)
		if err != nil {
			return err
		}
		res.Deleted = n
		taught, err := parts.teachers(ctx, tx)
		if err != nil {
			return err
		}
		res.Changed = imported.Changed || replaced || n > 0 || taught
		if res.Changed && !imported.Changed {
			if err := register.Changed(ctx, tx); err != nil {
				return err
			}
		}
		if res.Watermark.IsZero() {
			return nil // nothing read yet: the next run reads everything
		}
		_, err = tx.Exec(ctx, `INSERT INTO ss12000_sync_state (source, watermark, last_run) VALUES ($1, $2, now())
			ON CONFLICT (source) DO UPDATE SET watermark = EXCLUDED.watermark, last_run = EXCLUDED.last_run`, src.URL, res.Watermark)
		return err
	})
	if err != nil {
		return SyncResult{}, errs.E(op, err)
	}
	res.Writing = time.Since(began)
	return res, nil
}

// pages reads every page of a resource's list, handing each object to each.
func (src Source) pages(ctx context.Context, resource string, query url.Values, each func(json.RawMessage) error) (int, error) {
	n := 0
	for {
		var page struct {
			Data      []json.RawMessage `json:"data"`
			PageToken string            `json:"pageToken"`
		}
		if err := src.get(ctx, resource, query, &page); err != nil {
			return n, err
		}
		for _, raw := range page.Data {
			if err := each(raw); err != nil {
				return n, err
			}
			n++
		}
		if page.PageToken == "" {
			return n, nil
		}
		query = url.Values{"limit": query["limit"], "pageToken": {page.PageToken}}
	}
}

// deletions reads every page of deletedEntities into deleted, by the answer's member.
func (src Source) deletions(ctx context.Context, query url.Values, deleted map[string][]string) (int, error) {
	n := 0
	for {
		var page struct {
			Data      map[string][]string `json:"data"`
			PageToken string              `json:"pageToken"`
		}
		if err := src.get(ctx, "deletedEntities", query, &page); err != nil {
			return n, err
		}
		for member, ids := range page.Data {
			deleted[member] = append(deleted[member], ids...)
			n += len(ids)
		}
		if page.PageToken == "" {
			return n, nil
		}
		query = url.Values{"limit": query["limit"], "pageToken": {page.PageToken}}
	}
}

func (src Source) get(ctx context.Context, path string, query url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL+"/"+path+"?"+query.Encode(), nil)
	if err != nil {
		return err
	}
	res, err := src.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 500))
		return fmt.Errorf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// The standard's objects as a sync reads them.
type period struct {
	StartDate *string `json:"startDate"`
	EndDate   *string `json:"endDate"`
}

// parts are the members read inside objects, which replace what the register holds of them.
type parts struct {
	groups, persons, activities, duties []string
	members, responsibles               [][2]string // (group, person), (child, adult)
	enrolments, activityGroups          [][2]string // (person, enrolment), (activity, group)
	activityTeachers, mentors           [][2]string // (activity, duty), (duty, group)
	formerGroups                        []string    // the groups the activities read or deleted had before
}

// add reads one object of resource into the document and its parts.
func add(d *register.Document, p *parts, resource string, raw json.RawMessage) error {
	switch resource {
	case "organisations":
		var o struct {
			ID                 string     `json:"id"`
			DisplayName        string     `json:"displayName"`
			OrganisationType   string     `json:"organisationType"`
			OrganisationCode   *string    `json:"organisationCode"`
			ParentOrganisation *reference `json:"parentOrganisation"`
			SchoolUnitCode     *string    `json:"schoolUnitCode"`
			SchoolTypes        []string   `json:"schoolTypes"`
			MunicipalityCode   *string    `json:"municipalityCode"`
			period
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		d.Organisations = append(d.Organisations, register.Organisation{ID: o.ID, DisplayName: o.DisplayName,
			OrganisationType: o.OrganisationType, OrganisationCode: o.OrganisationCode, ParentOrganisation: o.ParentOrganisation.ptr(),
			SchoolUnitCode: o.SchoolUnitCode, SchoolTypes: o.SchoolTypes, MunicipalityCode: o.MunicipalityCode,
			StartDate: o.StartDate, EndDate: o.EndDate})
	case "persons":
		var o struct {
			ID                      string   `json:"id"`
			GivenName               string   `json:"givenName"`
			FamilyName              string   `json:"familyName"`
			EduPersonPrincipalNames []string `json:"eduPersonPrincipalNames"`
			CivicNo                 *struct {
				Value string `json:"value"`
			} `json:"civicNo"`
			SecurityMarking string `json:"securityMarking"`
			Responsibles    []struct {
				Person       reference `json:"person"`
				RelationType string    `json:"relationType"`
			} `json:"responsibles"`
			Enrolments []struct {
				EnroledAt  reference `json:"enroledAt"`
				SchoolType string    `json:"schoolType"`
				SchoolYear *int      `json:"schoolYear"`
				period
			} `json:"enrolments"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		person := register.Person{ID: o.ID, GivenName: o.GivenName, FamilyName: o.FamilyName,
			SecurityMarking: o.SecurityMarking, EduPersonPrincipalNames: o.EduPersonPrincipalNames}
		if o.CivicNo != nil {
			person.CivicNo = &o.CivicNo.Value
		}
		d.Persons = append(d.Persons, person)
		p.persons = append(p.persons, o.ID)
		for _, r := range o.Responsibles {
			d.Responsibles = append(d.Responsibles, register.Responsible{Person: o.ID, Responsible: r.Person.ID, RelationType: r.RelationType})
			p.responsibles = append(p.responsibles, [2]string{o.ID, r.Person.ID})
		}
		for _, e := range o.Enrolments {
			// The standard gives an enrolment no id: one is derived from what it is.
			start := ""
			if e.StartDate != nil {
				start = *e.StartDate
			}
			id := uuid.NewSHA1(uuid.MustParse(o.ID), []byte(e.EnroledAt.ID+"|"+e.SchoolType+"|"+start)).String()
			d.Enrolments = append(d.Enrolments, register.Enrolment{ID: id, Person: o.ID, EnroledAt: e.EnroledAt.ID,
				SchoolType: e.SchoolType, SchoolYear: e.SchoolYear, StartDate: start, EndDate: e.EndDate})
			p.enrolments = append(p.enrolments, [2]string{o.ID, id})
		}
	case "groups":
		var o struct {
			ID           string    `json:"id"`
			DisplayName  string    `json:"displayName"`
			GroupType    string    `json:"groupType"`
			SchoolType   *string   `json:"schoolType"`
			Organisation reference `json:"organisation"`
			StartDate    string    `json:"startDate"`
			EndDate      *string   `json:"endDate"`
			Members      []struct {
				Person reference `json:"person"`
				period
			} `json:"groupMemberships"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		d.Groups = append(d.Groups, register.Group{ID: o.ID, DisplayName: o.DisplayName, GroupType: o.GroupType,
			SchoolType: o.SchoolType, Organisation: o.Organisation.ID, StartDate: o.StartDate, EndDate: o.EndDate})
		p.groups = append(p.groups, o.ID)
		for _, m := range o.Members {
			start := o.StartDate
			if m.StartDate != nil {
				start = *m.StartDate
			}
			d.GroupMemberships = append(d.GroupMemberships, register.GroupMembership{Group: o.ID, Person: m.Person.ID, StartDate: start, EndDate: m.EndDate})
			p.members = append(p.members, [2]string{o.ID, m.Person.ID})
		}
	case "duties":
		var o struct {
			ID        string    `json:"id"`
			Person    reference `json:"person"`
			DutyAt    reference `json:"dutyAt"`
			DutyRole  string    `json:"dutyRole"`
			Signature *string   `json:"signature"`
			StartDate string    `json:"startDate"`
			EndDate   *string   `json:"endDate"`
			Roles     []struct {
				Group reference `json:"group"`
				Type  string    `json:"assignmentRoleType"`
				period
			} `json:"assignmentRole"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		d.Duties = append(d.Duties, register.Duty{ID: o.ID, Person: o.Person.ID, DutyAt: o.DutyAt.ID, DutyRole: o.DutyRole,
			Signature: o.Signature, StartDate: o.StartDate, EndDate: o.EndDate})
		p.duties = append(p.duties, o.ID)
		for _, r := range o.Roles {
			if r.Type != "Mentor" {
				continue // the register keeps mentors; the standard's other roles are not Skolflow's
			}
			start := o.StartDate
			if r.StartDate != nil {
				start = *r.StartDate
			}
			d.GroupAssignments = append(d.GroupAssignments, register.GroupAssignment{Group: r.Group.ID, Duty: o.ID,
				AssignmentRole: "Mentor", StartDate: start, EndDate: r.EndDate})
			p.mentors = append(p.mentors, [2]string{o.ID, r.Group.ID})
		}
	case "placements":
		var o struct {
			ID         string     `json:"id"`
			Child      reference  `json:"child"`
			PlacedAt   reference  `json:"placedAt"`
			Group      *reference `json:"group"`
			SchoolType string     `json:"schoolType"`
			StartDate  string     `json:"startDate"`
			EndDate    *string    `json:"endDate"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		d.Placements = append(d.Placements, register.Placement{ID: o.ID, Child: o.Child.ID, PlacedAt: o.PlacedAt.ID,
			Group: o.Group.ptr(), SchoolType: o.SchoolType, StartDate: o.StartDate, EndDate: o.EndDate})
	case "syllabuses":
		var o struct {
			ID          string  `json:"id"`
			SchoolType  string  `json:"schoolType"`
			SubjectCode string  `json:"subjectCode"`
			SubjectName string  `json:"subjectName"`
			CourseCode  *string `json:"courseCode"`
			CourseName  *string `json:"courseName"`
			Points      *int    `json:"points"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		d.Syllabuses = append(d.Syllabuses, register.Syllabus{ID: o.ID, SchoolType: o.SchoolType, SubjectCode: o.SubjectCode,
			SubjectName: o.SubjectName, CourseCode: o.CourseCode, CourseName: o.CourseName, Points: o.Points})
	case "activities":
		var o struct {
			ID           string      `json:"id"`
			DisplayName  string      `json:"displayName"`
			ActivityType string      `json:"activityType"`
			Organisation reference   `json:"organisation"`
			Syllabus     *reference  `json:"syllabus"`
			Groups       []reference `json:"groups"`
			Teachers     []struct {
				Duty reference `json:"duty"`
			} `json:"teachers"`
			StartDate string  `json:"startDate"`
			EndDate   *string `json:"endDate"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return err
		}
		a := register.Activity{ID: o.ID, DisplayName: o.DisplayName, ActivityType: o.ActivityType, Organisation: o.Organisation.ID,
			Syllabus: o.Syllabus.ptr(), Groups: []string{}, Teachers: []string{}, StartDate: o.StartDate, EndDate: o.EndDate}
		for _, g := range o.Groups {
			a.Groups = append(a.Groups, g.ID)
			p.activityGroups = append(p.activityGroups, [2]string{o.ID, g.ID})
		}
		for _, t := range o.Teachers {
			a.Teachers = append(a.Teachers, t.Duty.ID)
			p.activityTeachers = append(p.activityTeachers, [2]string{o.ID, t.Duty.ID})
			// A duty that teaches an activity teaches its groups (the register's Lärare).
			for _, g := range o.Groups {
				d.GroupAssignments = append(d.GroupAssignments, register.GroupAssignment{Group: g.ID, Duty: t.Duty.ID,
					AssignmentRole: "Lärare", StartDate: o.StartDate, EndDate: o.EndDate})
			}
		}
		d.Activities = append(d.Activities, a)
		p.activities = append(p.activities, o.ID)
	}
	return nil
}

// replace removes the members the register holds of the objects read that the source no longer
// serves inside them, and reports whether it removed any. Each is one anti-join against the
// pairs read (NOT EXISTS, which PostgreSQL hashes; NOT IN over a city's pairs it would not).
func (p parts) replace(ctx context.Context, tx pgx.Tx) (bool, error) {
	split := func(pairs [][2]string) ([]string, []string) {
		a, b := make([]string, len(pairs)), make([]string, len(pairs))
		for i, x := range pairs {
			a[i], b[i] = x[0], x[1]
		}
		return a, b
	}
	removed := false
	for _, r := range []struct {
		sql     string
		parents []string
		pairs   [][2]string
	}{
		{`DELETE FROM group_memberships m WHERE m.group_id = ANY ($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = m.group_id AND f.b = m.person_id)`, p.groups, p.members},
		{`DELETE FROM responsibles r WHERE r.person_id = ANY ($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = r.person_id AND f.b = r.responsible_id)`, p.persons, p.responsibles},
		{`DELETE FROM enrolments e WHERE e.person_id = ANY ($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = e.person_id AND f.b = e.id)`, p.persons, p.enrolments},
		{`DELETE FROM activity_groups a WHERE a.activity_id = ANY ($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = a.activity_id AND f.b = a.group_id)`, p.activities, p.activityGroups},
		{`DELETE FROM activity_teachers a WHERE a.activity_id = ANY ($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = a.activity_id AND f.b = a.duty_id)`, p.activities, p.activityTeachers},
		{`DELETE FROM group_assignments g WHERE g.duty_id = ANY ($1) AND g.assignment_role = 'Mentor' AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) f (a, b) WHERE f.a = g.duty_id AND f.b = g.group_id)`, p.duties, p.mentors},
	} {
		if len(r.parents) == 0 {
			continue
		}
		a, b := split(r.pairs)
		tag, err := tx.Exec(ctx, r.sql, r.parents, a, b)
		if err != nil {
			return false, err
		}
		removed = removed || tag.RowsAffected() > 0
	}
	return removed, nil
}

// deleteAll deletes what the source deleted, by deletedEntities' members, what refers to
// something first. Something the register still needs (a person with attendance on record)
// cannot be deleted: the run fails, naming it, and writes nothing.
func deleteAll(ctx context.Context, tx pgx.Tx, deleted map[string][]string) (int, error) {
	n := 0
	for _, d := range []struct{ member, table string }{
		{"activitites", "activities"}, {"placements", "placements"}, {"duties", "duties"}, {"groups", "groups"},
		{"persons", "persons"}, {"syllabuses", "syllabuses"}, {"organisations", "organisations"},
	} {
		ids := slices.Compact(slices.Sorted(slices.Values(deleted[d.member])))
		if len(ids) == 0 {
			continue
		}
		tag, err := tx.Exec(ctx, `DELETE FROM `+d.table+` WHERE id = ANY ($1::uuid[])`, ids)
		if err != nil {
			return 0, errs.E(errs.Conflict, errs.Msg("The source deleted "+d.member+" that the register still needs; nothing was written."), err)
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

// NewSource is the SS 12000 server at baseURL, signed in to with the client credentials of a
// client registered there (RFC 6749 §4.4) at tokenURL. The token is fetched, and fetched again
// before it expires, by golang.org/x/oauth2.
func NewSource(ctx context.Context, baseURL, tokenURL, clientID, secret string) Source {
	cc := clientcredentials.Config{ClientID: clientID, ClientSecret: secret, TokenURL: tokenURL}
	httpClient := cc.Client(context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: time.Minute}))
	httpClient.Timeout = time.Minute // a page, or a token, that does not come fails the run
	return Source{URL: strings.TrimSuffix(baseURL, "/"), HTTP: httpClient}
}

// mergeAssignments makes one assignment of each duty, group and role: a duty that teaches a
// group in two activities teaches it from the first's start to the last's end (none: open).
func mergeAssignments(list []register.GroupAssignment) []register.GroupAssignment {
	var out []register.GroupAssignment
	at := map[[3]string]int{}
	for _, a := range list {
		key := [3]string{a.Group, a.Duty, a.AssignmentRole}
		i, seen := at[key]
		if !seen {
			at[key] = len(out)
			out = append(out, a)
			continue
		}
		m := &out[i]
		m.StartDate = min(m.StartDate, a.StartDate)
		if m.EndDate != nil && (a.EndDate == nil || *a.EndDate > *m.EndDate) {
			m.EndDate = a.EndDate
		}
	}
	return out
}

// teachers brings the register's Lärare (who teaches a group, for their need to know) in line
// with the activities: in every group of an activity read, or of one deleted, a duty teaches
// the group while an activity of the group has it among its teachers. It must run after the
// activities' members are replaced and the deletions made.
func (p parts) teachers(ctx context.Context, tx pgx.Tx) (bool, error) {
	var groups []string
	for _, ag := range p.activityGroups {
		groups = append(groups, ag[1])
	}
	groups = append(groups, p.formerGroups...)
	if len(groups) == 0 {
		return false, nil
	}
	tag, err := tx.Exec(ctx, `DELETE FROM group_assignments ga WHERE ga.assignment_role = 'Lärare' AND ga.group_id = ANY ($1::uuid[])
		AND NOT EXISTS (SELECT 1 FROM activity_groups ag JOIN activity_teachers at ON at.activity_id = ag.activity_id
		  WHERE ag.group_id = ga.group_id AND at.duty_id = ga.duty_id)`, groups)
	return tag.RowsAffected() > 0, err
}
