package integration

import (
	"time"

	"context"
	"fmt"
	"github.com/skolflow/skolflow/internal/pgtest"
	"net/http"
	"net/url"
	"testing"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/ss12000"
)

// BenchmarkPersonPages measures a system paging through every person of the seeded register of
// -scale (the city: about 365 000) through SS 12000, 1 000 a page (GET /ss12000/v2.1/persons
// with limit and pageToken: the client's sign-in, its Casbin scope, the access log, and each
// person built as the standard's JSON with its principal names, addresses, enrolments and
// responsibles), a page per operation, -users walkers at once, each from where the last left.
//
// In the same run the limit: the API's own keyset-paged statement (ss12000.PageSQL), which builds
// the same JSON, run through pgx without the API, 1 000 a page, walked the same way. The phases alternate in four rounds; every page is checked: 1 000
// persons (fewer only at the end of the register, where a walk starts again), in id order.
//
//	make bench BENCH=PersonPages SCALE=city BENCHTIME=400x
func BenchmarkPersonPages(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	var huvudman string
	if err := s.db.QueryRow(ctx, `SELECT id::text FROM organisations WHERE organisation_type = 'Huvudman' ORDER BY id LIMIT 1`).Scan(&huvudman); err != nil {
		b.Fatal(err)
	}
	platform := ss12000.Client{ID: demo.ClientID("larplattform"), ClientID: "larplattform", DisplayName: "Lärplattformen",
		Protected: true, Grants: []ss12000.Grant{{Resource: "persons", Organisation: huvudman}}}
	if err := ss12000.RegisterClient(ctx, s.db, platform); err != nil {
		b.Fatal(err)
	}
	token := s.asClient("larplattform").token
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM persons`).Scan(&total); err != nil {
		b.Fatal(err)
	}
	const limit = 1000
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *users}}
	defer client.CloseIdleConnections()
	// Each walker's place: its page token and last id (measured), and its last id (bare).
	tokens, lastIDs, lastPaged := make([]string, *users), make([]string, *users), make([]string, *users)
	check := func(ids []string, prev string) error {
		if len(ids) == 0 || (len(ids) != limit && len(ids) != total%limit) {
			return fmt.Errorf("a page of %d persons", len(ids))
		}
		for i, id := range ids {
			if (i == 0 && prev != "" && id <= prev) || (i > 0 && id <= ids[i-1]) {
				return fmt.Errorf("person %d out of order: %s", i, id)
			}
		}
		return nil
	}
	pages, bare := alternate(b, *users, func(measured bool, w, _ int) error {
		if !measured {
			// The very statement the API runs for the page, through pgx, without the API.
			sql, args, err := ss12000.PageSQL("persons", limit, lastIDs[w])
			if err != nil {
				return err
			}
			rows, err := s.db.Query(ctx, sql, args...)
			if err != nil {
				return err
			}
			var ids []string
			for rows.Next() {
				var id string
				var keys []string
				var object []byte
				if err := rows.Scan(&id, &keys, &object); err != nil {
					return err
				}
				if len(object) == 0 {
					return fmt.Errorf("person %s: no object", id)
				}
				ids = append(ids, id)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if len(ids) > limit {
				ids = ids[:limit] // the statement reads one more, to know whether a page follows
			}
			if err := check(ids, lastIDs[w]); err != nil {
				return fmt.Errorf("the bare read: %w", err)
			}
			lastIDs[w] = ids[len(ids)-1]
			if len(ids) < limit {
				lastIDs[w] = "" // the end: start again
			}
			return nil
		}
		path := s.api.URL + api.StandardPrefix + "/persons?limit=" + fmt.Sprint(limit)
		if tokens[w] != "" {
			path += "&pageToken=" + url.QueryEscape(tokens[w])
		}
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			PageToken string `json:"pageToken"`
		}
		if err := apiCall(client, "GET", path, token, nil, &page); err != nil {
			return err
		}
		ids := make([]string, len(page.Data))
		for i, p := range page.Data {
			ids[i] = p.ID
		}
		if err := check(ids, lastPaged[w]); err != nil {
			return fmt.Errorf("the API's page: %w", err)
		}
		tokens[w], lastPaged[w] = page.PageToken, ids[len(ids)-1]
		if page.PageToken == "" {
			lastPaged[w] = "" // the end: start again
		}
		return nil
	})
	reportSides(b, "pages", pages, bare)
	b.ReportMetric(float64(len(pages.Lat)*limit)/pages.Elapsed.Seconds(), "persons/s")
}

// BenchmarkCitySync measures a full sync of the seeded register of -scale (the city: about
// 365 000 persons and all the rest) from one Skolflow's SS 12000 server into an empty database:
// reading every page of every resource, then writing all of it in one transaction (goal: under
// two minutes). Each run is checked: the new register holds as many organisations, persons,
// groups, members, duties, placements, syllabuses and activities as the source. It reports the
// whole time, and the reading and the writing.
//
//	make bench BENCH=CitySync SCALE=city BENCHTIME=1x
func BenchmarkCitySync(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	var huvudman string
	if err := s.db.QueryRow(ctx, `SELECT id::text FROM organisations WHERE organisation_type = 'Huvudman' ORDER BY id LIMIT 1`).Scan(&huvudman); err != nil {
		b.Fatal(err)
	}
	platform := ss12000.Client{ID: demo.ClientID("larplattform"), ClientID: "larplattform", DisplayName: "Lärplattformen", Protected: true}
	for _, r := range ss12000.Resources() {
		platform.Grants = append(platform.Grants, ss12000.Grant{Resource: r, Organisation: huvudman})
	}
	if err := ss12000.RegisterClient(ctx, s.db, platform); err != nil {
		b.Fatal(err)
	}
	source := ss12000.NewSource(ctx, s.api.URL+api.StandardPrefix, s.api.URL+"/dev/oidc/token", "larplattform", demo.ClientSecret)
	tables := []string{"organisations", "persons", "groups", "group_memberships", "duties", "placements", "syllabuses", "activities"}
	var total, reading, writing time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		target := pgtest.New(b)
		b.StartTimer()
		began := time.Now()
		res, err := source.Run(ctx, target)
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(began)
		reading, writing = reading+res.Reading, writing+res.Writing
		b.StopTimer()
		for _, table := range tables {
			var a, c int
			if err := s.db.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&a); err != nil {
				b.Fatal(err)
			}
			if err := target.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&c); err != nil {
				b.Fatal(err)
			}
			if a != c || !res.Full {
				b.Fatalf("%s: the source has %d, the synced register %d (full %v)", table, a, c, res.Full)
			}
		}
		b.Logf("synced %d objects in %v: reading %v, writing %v", res.Read, time.Since(began).Round(time.Millisecond),
			res.Reading.Round(time.Millisecond), res.Writing.Round(time.Millisecond))
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(total.Seconds()/n, "sync-s")
	b.ReportMetric(reading.Seconds()/n, "reading-s")
	b.ReportMetric(writing.Seconds()/n, "writing-s")
}
