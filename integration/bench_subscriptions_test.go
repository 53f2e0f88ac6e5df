package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/ss12000"
)

var subscriberCount = flag.Int("subscribers", 10, "BenchmarkSubscriptionLag: the systems subscribing to attendance")

// BenchmarkSubscriptionLag is a morning's attendance told to -subscribers systems through SS 12000
// subscriptions. Each system subscribes to Attendance, and does what the standard asks of a
// receiver: told of a change, it reads the attendances modified since it last read
// (meta.modified.after, paged 1 000 at a time). Then every class of -share of the seeded register
// takes the register of its first lesson over -window, 7 % of pupils absent, as in
// BenchmarkMorningPeak, so the absences' notices run beside the deliveries.
//
// The lag of an attendance is from its meta.modified (the database's time of the registration's
// transaction) to the moment a system has read it; each system's lags are counted once per
// attendance. The benchmark ends when every system has read every attendance of the morning; it
// fails if one has not within 15 minutes, or if a read is refused. A morning is one run whatever
// b.N is (see BenchmarkMorningPeak).
//
//	make bench BENCH=SubscriptionLag SCALE=district BENCHTIME=1x
func BenchmarkSubscriptionLag(b *testing.B) {
	report := oneMorning(b, &lastLag)
	if report == nil {
		return
	}
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	notifier(b, s)
	var huvudman string
	if err := s.db.QueryRow(ctx, `SELECT id::text FROM organisations WHERE organisation_type = 'Huvudman' ORDER BY id LIMIT 1`).Scan(&huvudman); err != nil {
		b.Fatal(err)
	}
	classes, lessons, _ := morningLessons(b, s)
	expected := map[string]bool{} // the morning's lessons
	want := 0
	for i, c := range classes {
		expected[lessons[i]] = true
		want += len(c.pupils)
	}

	readers, cancel := context.WithCancel(ctx)
	defer cancel()
	subs := make([]*subscriber, *subscriberCount)
	for i := range subs {
		name := fmt.Sprintf("abonnent-%d", i+1)
		c := ss12000.Client{ID: demo.ClientID(name), ClientID: name, DisplayName: fmt.Sprintf("Abonnent %d", i+1), Protected: true,
			Grants: []ss12000.Grant{{Resource: "attendances", Organisation: huvudman}, {Resource: "subscriptions", Organisation: huvudman}}}
		if err := ss12000.RegisterClient(ctx, s.db, c); err != nil {
			b.Fatal(err)
		}
		token, _, err := s.issuer.Mint(name)
		if err != nil {
			b.Fatal(err)
		}
		subs[i] = newSubscriber(b, s.api.URL+std, token, expected)
		go subs[i].read(readers)
		sub := map[string]any{"name": name, "target": subs[i].URL, "resourceTypes": []map[string]string{{"resource": "Attendance"}}}
		body, _ := json.Marshal(sub)
		res, err := subs[i].do(ctx, "POST", "/subscriptions", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		var made ss12000.Subscription
		err = json.NewDecoder(res.Body).Decode(&made)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated || err != nil {
			b.Fatalf("subscribing: %d, %v", res.StatusCode, err)
		}
		subs[i].subscription = made.ID
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range classes {
		body, _ := peakRegister(c)
		wg.Go(func() {
			time.Sleep(time.Duration(float64(*peakWindow) * float64(i) / float64(len(classes))))
			if err := takeRegister(client, s, lessons[i], c.token, body); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	var stored int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM attendance WHERE lesson_id = ANY ($1::uuid[])`, lessons).Scan(&stored); err != nil {
		b.Fatal(err)
	}
	if stored != want {
		b.Fatalf("the morning stored %d attendances, want %d", stored, want)
	}
	deadline := time.Now().Add(15 * time.Minute)
	for {
		done := true
		for _, sub := range subs {
			n, err := sub.progress()
			if err != nil {
				b.Fatal(err)
			}
			done = done && n == want
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			for i, sub := range subs {
				n, _ := sub.progress()
				b.Errorf("subscriber %d read %d of %d attendances", i+1, n, want)
			}
			b.FailNow()
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.StopTimer()
	allRead := time.Since(start)
	cancel()
	// The subscriptions end with the morning, and their processes with them.
	for _, sub := range subs {
		res, err := sub.do(ctx, "DELETE", "/subscriptions/"+sub.subscription, nil)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			b.Fatalf("unsubscribing: %d", res.StatusCode)
		}
	}

	var lags []time.Duration
	notices, reads := 0, 0
	for _, sub := range subs {
		sub.mu.Lock()
		lags = append(lags, sub.lags...)
		notices, reads = notices+sub.notices, reads+sub.reads
		sub.mu.Unlock()
	}
	slices.Sort(lags)
	report(float64(len(classes)), "classes")
	report(float64(want), "attendances")
	report(float64(len(subs)), "subscribers")
	report(float64(notices)/float64(len(subs)), "notifications/subscriber")
	report(float64(reads)/float64(len(subs)), "reads/subscriber")
	report(percentileMS(lags, 0.5), "lag-p50-ms")
	report(percentileMS(lags, 0.99), "lag-p99-ms")
	report(percentileMS(lags, 1), "lag-max-ms")
	report(allRead.Seconds(), "all-read-s")
	b.Logf("%d classes of %s over %v: %d attendances read by each of %d subscribers after %v; lag p50 %.0f ms, p99 %.0f ms",
		len(classes), *scale, *peakWindow, want, len(subs), allRead.Round(time.Millisecond),
		percentileMS(lags, 0.5), percentileMS(lags, 0.99))
}

// lastLag holds the figures of the last morning BenchmarkSubscriptionLag ran.
var lastLag map[string]float64

// subscriber is a system subscribing to attendance: its callback server takes each notification
// (it only wakes the reader, and answers at once), and its reader reads what changed.
type subscriber struct {
	*httptest.Server
	api, token   string
	subscription string          // its id
	lessons      map[string]bool // the morning's: only their attendances are counted
	wake         chan struct{}
	http         *http.Client

	mu      sync.Mutex
	seen    map[string]bool // the attendances read, by id
	lags    []time.Duration
	notices int
	reads   int // list pages read
	err     error
}

func newSubscriber(b *testing.B, api, token string, lessons map[string]bool) *subscriber {
	s := &subscriber{api: api, token: token, lessons: lessons, wake: make(chan struct{}, 1), seen: map[string]bool{},
		http: &http.Client{Timeout: time.Minute}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.notices++
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default: // a read is due already
		}
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(s.Close)
	return s
}

func (s *subscriber) do(ctx context.Context, method, path string, body *bytes.Reader) (*http.Response, error) {
	var req *http.Request
	var err error
	if body == nil {
		req, err = http.NewRequestWithContext(ctx, method, s.api+path, nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, s.api+path, body)
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	return s.http.Do(req)
}

// skew is how far before the newest meta.modified read the next read starts: meta.modified is
// when a registration's transaction began, and one that began earlier may commit later. A
// receiver must overlap by the longest a transaction takes: with 2 s, receivers of the city's
// morning (every class in 10 s, the absences' notices running beside) missed one attendance in
// 25, whose transactions took longer under that load. Skolflow's own sync overlaps by 5 minutes.
const skew = 30 * time.Second

// read reads, each time it is woken, every attendance modified since the last read, until ctx ends.
func (s *subscriber) read(ctx context.Context) {
	var since time.Time // nothing yet: everything the subscription could tell of is the morning's
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		query := url.Values{"limit": {"1000"}}
		if !since.IsZero() {
			query.Set("meta.modified.after", since.Add(-skew).UTC().Format(time.RFC3339Nano))
		}
		for {
			page, err := s.page(ctx, query)
			if err != nil {
				if ctx.Err() == nil {
					s.fail(err)
				}
				return
			}
			now := time.Now()
			s.mu.Lock()
			s.reads++
			for _, a := range page.Data {
				switch {
				case !s.lessons[a.CalendarEvent.ID]:
					// Another benchmark's, on the same seeded register: not the morning's.
				case !s.seen[a.ID]:
					s.seen[a.ID] = true
					s.lags = append(s.lags, now.Sub(a.Meta.Modified))
				}
				if a.Meta.Modified.After(since) {
					since = a.Meta.Modified
				}
			}
			s.mu.Unlock()
			if page.PageToken == "" {
				break
			}
			query = url.Values{"limit": {"1000"}, "pageToken": {page.PageToken}}
		}
	}
}

type attendancePage struct {
	Data []struct {
		ID   string `json:"id"`
		Meta struct {
			Modified time.Time `json:"modified"`
		} `json:"meta"`
		CalendarEvent struct {
			ID string `json:"id"`
		} `json:"calendarEvent"`
	} `json:"data"`
	PageToken string `json:"pageToken"`
}

func (s *subscriber) page(ctx context.Context, query url.Values) (attendancePage, error) {
	var page attendancePage
	res, err := s.do(ctx, "GET", "/attendances?"+query.Encode(), nil)
	if err != nil {
		return page, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return page, fmt.Errorf("GET attendances: %d", res.StatusCode)
	}
	return page, json.NewDecoder(res.Body).Decode(&page)
}

func (s *subscriber) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// progress is how many of the morning's attendances the subscriber has read, or what went wrong.
func (s *subscriber) progress() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen), s.err
}
