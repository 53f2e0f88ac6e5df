package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/documents"
	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/seed"
	"github.com/skolflow/skolflow/register"
)

// chainLength is the versions of each document the chain benchmarks write and verify.
const chainLength = 50

// BenchmarkDocumentChain measures writing a document's hash chain: each operation adds a
// version to a document and signs it (POST .../versions, then POST .../versions/{n}/sign: two
// requests, each with sign-in, the Casbin decision over the document's relations, the access
// log, and one transaction that locks the document and chains the version to the one before),
// -users (20) writers at once, each on documents of its own of 50 versions.
//
// In the same run the limit: a bare indexed read of a document's version rows (by the primary
// key's document_id), one round trip, as many callers. The phases alternate in four rounds. Every
// signature is checked to chain to the version before it. It reports p50 and p99 of each and the
// ratio of the rates.
//
//	make bench BENCH=DocumentChain BENCHTIME=2000x
func BenchmarkDocumentChain(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	token, _, err := s.issuer.Mint("rektor-a@" + demo.UserDomain)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *users}}
	defer client.CloseIdleConnections()
	maja := s.id("elev-1")
	body := func(need string) []byte { // a version's content; a new document's names its kind too
		content := map[string]any{"fields": map[string]string{"need": need, "participation": "Ja"}}
		if need == "v1" {
			content["kind"] = "investigation"
		}
		data, _ := json.Marshal(content)
		return data
	}
	// Each writer's current document and the hash of its last signed version.
	type chain struct {
		id, last string
		n        int  // the version to sign next
		drafted  bool // version n is drafted
	}
	chains := make([]chain, *users)
	begin := func(w int) error {
		var d documents.Document
		if err := apiCall(client, "POST", s.api.URL+"/api/v1/persons/"+maja+"/documents", token, body("v1"), &d); err != nil {
			return err
		}
		chains[w] = chain{id: d.ID, n: 1, drafted: true}
		return nil
	}
	write := func(w int) error {
		c := &chains[w]
		switch {
		case c.n > chainLength:
			if err := begin(w); err != nil {
				return err
			}
		case !c.drafted:
			var v documents.VersionCreated
			if err := apiCall(client, "POST", s.api.URL+"/api/v1/documents/"+c.id+"/versions", token, body("v"+strconv.Itoa(c.n)), &v); err != nil {
				return err
			}
			if v.Version != c.n {
				return fmt.Errorf("version %d of %s, want %d", v.Version, c.id, c.n)
			}
		}
		var signed documents.Version
		if err := apiCall(client, "POST", s.api.URL+"/api/v1/documents/"+c.id+"/versions/"+strconv.Itoa(c.n)+"/sign", token, nil, &signed); err != nil {
			return err
		}
		if (c.last == "") != (signed.Previous == nil) || (signed.Previous != nil && *signed.Previous != c.last) {
			return fmt.Errorf("version %d of %s chains to %v, want %q", c.n, c.id, signed.Previous, c.last)
		}
		c.last, c.n, c.drafted = *signed.SHA256, c.n+1, false
		return nil
	}
	for w := range chains { // each writer's first document, so that the bare read has one to read
		if err := begin(w); err != nil {
			b.Fatal(err)
		}
	}
	bare := func(w int) error { return bareVersions(ctx, s, chains[w].id) }
	writes, reads := alternate(b, *users, func(measured bool, w, _ int) error {
		if measured {
			return write(w)
		}
		return bare(w)
	})
	reportSides(b, "writes", writes, reads)
}

// BenchmarkDocumentVerify measures verifying a 50-version chain: GET .../verify reads every
// signed version and computes each hash again over its canonical form and the one before. -users
// (20) readers at once, over documents written in the setup. Every answer is checked valid and
// naming 50 signed versions. In the same run the limit: the bare indexed read of the same
// document's version rows. It reports p50 and p99 of each and the ratio of the rates.
//
//	make bench BENCH=DocumentVerify BENCHTIME=2000x
func BenchmarkDocumentVerify(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	docs := make([]string, *users)
	for i := range docs {
		id, err := signedChain(ctx, s, chainLength)
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = id
	}
	token, _, err := s.issuer.Mint("rektor-a@" + demo.UserDomain)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *users}}
	defer client.CloseIdleConnections()
	verifies, reads := alternate(b, *users, func(measured bool, w, _ int) error {
		if !measured {
			return bareVersions(ctx, s, docs[w])
		}
		var v documents.Verification
		if err := apiCall(client, "GET", s.api.URL+"/api/v1/documents/"+docs[w]+"/verify", token, nil, &v); err != nil {
			return err
		}
		if !v.Valid || v.SignedVersions != chainLength {
			return fmt.Errorf("verifying %s: %+v", docs[w], v)
		}
		return nil
	})
	reportSides(b, "verifies", verifies, reads)
}

// signedChain writes a document of n signed versions through the store, as the API would, and
// answers its id.
func signedChain(ctx context.Context, s *stack, n int) (string, error) {
	st := documents.Store{DB: s.db}
	d := documents.NewDocument{ID: uuid.NewString(), Kind: "investigation", Pupil: s.id("elev-1"), SchoolUnit: demo.OrgID("a"),
		By: s.id("rektor-a"), Content: documents.Content{Fields: map[string]string{"need": "v1", "participation": "Ja"}}}
	if err := st.Create(ctx, d); err != nil {
		return "", err
	}
	for v := 1; v <= n; v++ {
		if v > 1 {
			if _, err := st.NewVersion(ctx, d.ID, d.By, documents.Content{Fields: map[string]string{"need": "v" + strconv.Itoa(v), "participation": "Ja"}}); err != nil {
				return "", err
			}
		}
		if _, err := st.Sign(ctx, documents.Signing{DocumentID: d.ID, Version: v, By: d.By}); err != nil {
			return "", err
		}
	}
	return d.ID, nil
}

// bareVersions is the bare indexed read of a document's version rows.
func bareVersions(ctx context.Context, s *stack, id string) error {
	rows, err := s.db.Query(ctx, `SELECT version, fields, body, drafted_by, drafted_at, signed_by, signed_at, previous_sha256, sha256
		FROM document_versions WHERE document_id = $1 ORDER BY version`, id)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no versions of %s", id)
	}
	return nil
}

// reportSides reports p50, p99 and the rate of the measured side and the bare read, and the
// ratio of the rates.
func reportSides(b *testing.B, what string, measured, bare phaseRun) {
	rate := float64(len(measured.Lat)) / measured.Elapsed.Seconds()
	bareRate := float64(len(bare.Lat)) / bare.Elapsed.Seconds()
	b.ReportMetric(percentileMS(measured.Lat, 0.5), "p50-ms")
	b.ReportMetric(percentileMS(measured.Lat, 0.99), "p99-ms")
	b.ReportMetric(rate, what+"/s")
	b.ReportMetric(percentileMS(bare.Lat, 0.5), "bare-p50-ms")
	b.ReportMetric(percentileMS(bare.Lat, 0.99), "bare-p99-ms")
	b.ReportMetric(bareRate, "bare-reads/s")
	b.ReportMetric(rate/bareRate, "ratio")
	b.Logf("%d at once: %s %.0f/s, p50 %.1f ms, p99 %.1f ms; bare indexed read %.0f/s, p99 %.1f ms; ratio %.3f",
		*users, what, rate, percentileMS(measured.Lat, 0.5), percentileMS(measured.Lat, 0.99), bareRate, percentileMS(bare.Lat, 0.99), rate/bareRate)
}

// cityIncidents is a year of reports of degrading treatment in the whole city (the issue's
// estimate); a smaller seeded register gets its share by its pupils.
const cityIncidents, cityPupils = 20000, 140000

// BenchmarkIncidentList measures the organiser's officers listing the city's incidents, newest
// first, 100 at a time with each one's steps (GET /api/v1/schools/{huvudman}/incidents: sign-in,
// the Casbin decision, the access log, the school units below the organiser, and the newest 100
// of a year's incidents with their steps' deadlines and times), -users (20) at once. The seeded
// register of -scale gets a year of incidents first (20 000 for the city, its share of them for a
// smaller scale), each through its five steps.
//
// In the same run the limit: a bare indexed read of the newest 100 incidents' rows. The phases
// alternate in four rounds; every answer is checked: 100 incidents, newest first, five steps each.
//
//	make bench BENCH=IncidentList SCALE=city
func BenchmarkIncidentList(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	huvudman, officer := seedIncidents(b, s)
	token, _, err := s.issuer.Mint(officer)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *users}}
	defer client.CloseIdleConnections()
	list, bare := alternate(b, *users, func(measured bool, _, _ int) error {
		if !measured {
			rows, err := s.db.Query(ctx, `SELECT id, school_unit_id, reported_at, step FROM incidents ORDER BY reported_at DESC LIMIT 100`)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil || n != 100 {
				return fmt.Errorf("the bare read: %d rows, %v", n, err)
			}
			return nil
		}
		var got []incidents.Summary
		if err := apiCall(client, "GET", s.api.URL+"/api/v1/schools/"+huvudman+"/incidents?limit=100", token, nil, &got); err != nil {
			return err
		}
		if len(got) != 100 {
			return fmt.Errorf("%d incidents, want 100", len(got))
		}
		for i, inc := range got {
			if len(inc.Steps) != 5 || (i > 0 && inc.ReportedAt.After(got[i-1].ReportedAt)) {
				return fmt.Errorf("incident %d: %d steps, reported %v after %v", i, len(inc.Steps), inc.ReportedAt, got[max(0, i-1)].ReportedAt)
			}
		}
		return nil
	})
	reportSides(b, "lists", list, bare)
}

// seedIncidents gives the seeded register a year of incidents, each through its five steps (once:
// a register that has them keeps them), and an officer of the organiser; it answers the
// organiser's id and the officer's principal name.
func seedIncidents(b *testing.B, s *stack) (huvudman, officer string) {
	ctx := context.Background()
	if err := s.db.QueryRow(ctx, `SELECT id::text FROM organisations WHERE organisation_type = 'Huvudman' LIMIT 1`).Scan(&huvudman); err != nil {
		b.Fatal(err)
	}
	officer = seed.PrincipalName("bench-officer")
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte(officer)).String()
	doc := &register.Document{
		Persons: []register.Person{{ID: id, GivenName: "Olga", FamilyName: "Förvaltare", EduPersonPrincipalNames: []string{officer}}},
		Duties: []register.Duty{{ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(officer+"/duty")).String(), Person: id, DutyAt: huvudman,
			DutyRole: "Övrig arbetsledning", StartDate: "2020-08-01"}},
	}
	if _, err := register.Import(ctx, s.db, doc); err != nil {
		b.Fatal(err)
	}
	var pupils, have int
	if err := s.db.QueryRow(ctx, `SELECT (SELECT count(DISTINCT person_id) FROM enrolments), (SELECT count(*) FROM incidents)`).Scan(&pupils, &have); err != nil {
		b.Fatal(err)
	}
	want := max(200, cityIncidents*pupils/cityPupils)
	if have >= want {
		return huvudman, officer
	}
	// Reports spread over the past year across the schools, each by a member of its staff, every
	// step done: most in time, one in ten late.
	if _, err := s.db.Exec(ctx, `WITH schools AS (
		  SELECT o.id, (SELECT d.person_id FROM duties d WHERE d.duty_at = o.id LIMIT 1) AS staff,
		    row_number() OVER (ORDER BY o.id) - 1 AS n, count(*) OVER () AS total
		  FROM organisations o WHERE o.organisation_type = 'Skolenhet' AND EXISTS (SELECT 1 FROM duties d WHERE d.duty_at = o.id)),
		new AS (
		  INSERT INTO incidents (id, school_unit_id, reported_by, reported_at, occurred_at, place, description, step)
		  SELECT gen_random_uuid(), s.id, s.staff, now() - (g * interval '365 days' / $1), now() - (g * interval '365 days' / $1) - interval '1 hour',
		    'Skolgården', 'En elev knuffades.', 'closed'
		  FROM generate_series(1, $1) g JOIN schools s ON s.n = g % s.total
		  RETURNING id, reported_at, reported_by)
		INSERT INTO incident_steps (incident_id, step, opened_at, due_at, done_at, done_by)
		SELECT n.id, st.step, n.reported_at + st.k * interval '1 day', n.reported_at + st.k * interval '1 day' + interval '2 days',
		  n.reported_at + st.k * interval '1 day' + CASE WHEN random() < 0.1 THEN interval '3 days' ELSE interval '1 day' END, n.reported_by
		FROM new n CROSS JOIN (VALUES ('acknowledge', 0), ('report', 1), ('investigate', 2), ('measures', 3), ('follow-up', 4)) st(step, k)`,
		want-have); err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `ANALYZE incidents, incident_steps`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d incidents for %d pupils", want-have, pupils)
	return huvudman, officer
}
