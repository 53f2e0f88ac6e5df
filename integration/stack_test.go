package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/devserver"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/ss12000spec"
	"github.com/skolflow/skolflow/internal/temporaltest"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/support"
)

// stack is one test's platform: its own database with the demo register, its own Temporal
// namespace, task queue, worker and API server, and the dev issuer's sign-in.
type stack struct {
	t        testing.TB
	db       *pgxpool.Pool
	temporal client.Client
	api      *httptest.Server
	queue    string
	ns       string // the stack's own Temporal namespace
	issuer   *auth.DevIssuer
	authz    *policies.Authorizer
	mailbox  *mailsink.Sink // the real SMTP server mail goes to, and the stand-in SMS gateway
	token    string         // sent as the bearer token by do; set with as
	timings  durations      // the processes' durations: timings, unless the test changed them
}

// durations are the processes' durations as a stack runs them: the kernel's settings (of which
// only durations are set), and those the areas declare. The absence day's reach cutoff is
// midnight: no reach task unless a test asks for one.
type durations struct {
	config.Config
	AbsenceNoticeWindow, AbsenceDayLength, AbsenceTaskDue, AbsenceReachCutoff time.Duration
	LeaveAnswerDue, LeaveStepDue                                              time.Duration
	GradingRemindBefore, GradingStepDue                                       time.Duration
	GradingSupportDue, GradingHearingWindow                                   time.Duration
	IncidentAcknowledgeDue, IncidentStepDue, IncidentFollowUpAfter            time.Duration
	SupportInvestigateDue, SupportReplyWindow, SupportDecideDue               time.Duration
	PlacementSettle, PlacementApproveDue, OfferAnswerDue                      time.Duration
	GuaranteeWarnBefore                                                       time.Duration
	SubscriptionBackoff, SubscriptionPoll                                     time.Duration
}

// timings compress a school day into seconds.
var timings = durations{Config: config.Config{DeliveryDeadline: time.Minute, OIDCAudience: "skolflow",
	OIDCClientID: "skolflow", SessionTTL: time.Hour, SessionIdle: 30 * time.Minute},
	AbsenceNoticeWindow: 2 * time.Second, AbsenceDayLength: 20 * time.Second, AbsenceTaskDue: time.Minute,
	LeaveAnswerDue: time.Minute, LeaveStepDue: time.Minute, GradingRemindBefore: 5 * time.Second, GradingStepDue: time.Minute,
	GradingSupportDue: time.Minute, GradingHearingWindow: 8 * time.Second,
	IncidentAcknowledgeDue: time.Minute, IncidentStepDue: time.Minute, IncidentFollowUpAfter: 2 * time.Second,
	SupportInvestigateDue: time.Minute, SupportReplyWindow: 4 * time.Second, SupportDecideDue: time.Minute,
	PlacementSettle: time.Second, PlacementApproveDue: time.Minute, OfferAnswerDue: time.Minute,
	GuaranteeWarnBefore: 720 * time.Hour, SubscriptionBackoff: 2 * time.Second, SubscriptionPoll: 5 * time.Second}

// settings are the settings of a stack on queue with these durations.
func (tm durations) settings(queue string) config.Config {
	cfg := tm.Config
	cfg.TaskQueue = queue
	absence.NoticeWindow.Set(&cfg, tm.AbsenceNoticeWindow)
	ss12000.DeliveryBackoff.Set(&cfg, tm.SubscriptionBackoff)
	ss12000.DeliveryPoll.Set(&cfg, tm.SubscriptionPoll)
	ss12000.CallbackHosts.Set(&cfg, []string{"127.0.0.1"}) // the tests' receivers
	absence.DayLength.Set(&cfg, tm.AbsenceDayLength)
	absence.TaskDue.Set(&cfg, tm.AbsenceTaskDue)
	absence.ReachCutoff.Set(&cfg, tm.AbsenceReachCutoff)
	leave.AnswerDue.Set(&cfg, tm.LeaveAnswerDue)
	leave.StepDue.Set(&cfg, tm.LeaveStepDue)
	grading.RemindBefore.Set(&cfg, tm.GradingRemindBefore)
	grading.StepDue.Set(&cfg, tm.GradingStepDue)
	grading.SupportDue.Set(&cfg, tm.GradingSupportDue)
	grading.HearingWindow.Set(&cfg, tm.GradingHearingWindow)
	incidents.AcknowledgeDue.Set(&cfg, tm.IncidentAcknowledgeDue)
	incidents.ReportDue.Set(&cfg, tm.IncidentStepDue)
	incidents.InvestigateDue.Set(&cfg, tm.IncidentStepDue)
	incidents.MeasuresDue.Set(&cfg, tm.IncidentStepDue)
	incidents.FollowUpAfter.Set(&cfg, tm.IncidentFollowUpAfter)
	support.InvestigateDue.Set(&cfg, tm.SupportInvestigateDue)
	support.ReplyWindow.Set(&cfg, tm.SupportReplyWindow)
	support.DecideDue.Set(&cfg, tm.SupportDecideDue)
	enrollment.SettleAfterClose.Set(&cfg, tm.PlacementSettle)
	enrollment.ApproveDue.Set(&cfg, tm.PlacementApproveDue)
	enrollment.OfferAnswerDue.Set(&cfg, tm.OfferAnswerDue)
	enrollment.GuaranteeWarnBefore.Set(&cfg, tm.GuaranteeWarnBefore)
	return cfg
}

// modules are the areas of the school as the stack runs them, with their durations; authz is
// the API instance's Authorizer, nil for the worker.
func modules(db *pgxpool.Pool, c client.Client, queue string, log *zap.Logger, tm durations, authz *policies.Authorizer) []area.Module {
	return app.Modules(area.Env{DB: db, Temporal: c, TaskQueue: queue, Log: log, Config: tm.settings(queue), Authz: authz})
}

// stackOption changes a stack before its worker starts.
type stackOption func(*stackConfig)

type stackConfig struct {
	workflows  []any                        // more workflows for the worker, e.g. a benchmark's baseline
	smtpAddr   string                       // "" for the stack's own mailbox
	wrap       func(*activities.Activities) // e.g. to wrap a channel
	holdOutbox bool                         // start no absence outbox dispatcher; the test runs one
	activities map[string]any               // more activities for the worker, by name
	seeded     bool                         // the seeded register of -scale (shared) instead of the demo's
	timings    func(*durations)             // changes the processes' durations from timings'
	temporal   temporaltest.Server          // the Temporal server, if not the package's one
}

func newStack(t testing.TB, opts ...stackOption) *stack {
	t.Helper()
	var sc stackConfig
	for _, o := range opts {
		o(&sc)
	}
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	metrics, err := app.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	server := temporalServer
	if sc.temporal != nil {
		server = sc.temporal
	}
	cfg := config.Config{
		TemporalAddress:   server.FrontendHostPort(),
		TemporalNamespace: newNamespace(t, server),
		TaskQueue:         "test-" + randomHex(),
		ShutdownTimeout:   5 * time.Second,
	}
	c, err := app.DialTemporal(context.Background(), cfg, log, metrics, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	var db *pgxpool.Pool
	if sc.seeded {
		db = pgtest.Open(t, seededURL(t))
	} else {
		db = pgtest.New(t)
		if _, err := demo.LoadRegister(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		if err := demo.LoadContacts(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		if err := demo.LoadClients(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	}
	mailbox, err := mailsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailbox.Close() })
	sms := httptest.NewServer(mailbox.SMSHandler())
	t.Cleanup(sms.Close)
	cfg.SMTPAddr, cfg.MailFrom, cfg.SMSGatewayURL = mailbox.Addr(), "Skolflow <noreply@skolflow.test>", sms.URL
	if sc.smtpAddr != "" {
		cfg.SMTPAddr = sc.smtpAddr
	}
	// The API's address is known before the worker starts, so that messages link to its pages.
	srv := httptest.NewUnstartedServer(nil)
	cfg.PublicURL = "http://" + srv.Listener.Addr().String()
	acts := app.Activities(cfg, db)
	if sc.wrap != nil {
		sc.wrap(acts)
	}
	w := app.NewWorkerWith(c, cfg, acts, modules(db, c, cfg.TaskQueue, log, timings, nil))
	for _, wf := range sc.workflows {
		w.RegisterWorkflow(wf)
	}
	for name, a := range sc.activities {
		w.RegisterActivityWithOptions(a, activity.RegisterOptions{Name: name})
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	s := &stack{t: t, db: db, temporal: c, queue: cfg.TaskQueue, ns: cfg.TemporalNamespace, mailbox: mailbox, timings: timings}
	if sc.timings != nil {
		sc.timings(&s.timings)
	}
	s.api, s.issuer, s.authz = serveAPI(t, srv, db, c, metrics, log, cfg.TaskQueue, s.timings)
	if !sc.holdOutbox {
		s.dispatch(log)
	}
	return s
}

// dispatch runs the absence outbox's dispatcher, as the API process does, until the test ends
// or stop is called. With clients, it runs one dispatcher for each, reaching Temporal through
// it, all on the stack's database and released together from a barrier, as API instances
// started at once would.
func (s *stack) dispatch(log *zap.Logger, clients ...client.Client) (stop func()) {
	if len(clients) == 0 {
		clients = []client.Client{s.temporal}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var runs []func()
	for _, c := range clients {
		days := absence.Days{Temporal: c, TaskQueue: s.queue, Input: absence.DayInput(s.timings.settings(s.queue))}
		d := &outbox.Dispatcher{DB: s.db, Days: days, Log: log, Parallel: 16}
		runs = append(runs, func() { d.Run(ctx) })
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		atOnce(runs...)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	s.t.Cleanup(stop)
	return stop
}

// newAPI serves one API instance over real HTTP with its own dev issuer, Authorizer and change
// listener, as `skolflow dev` wires them; two calls give two instances on one database.
func newAPI(t testing.TB, db *pgxpool.Pool, c client.Client, m *app.Metrics, log *zap.Logger, queue string, tm durations) (*httptest.Server, *auth.DevIssuer, *policies.Authorizer) {
	t.Helper()
	return serveAPI(t, httptest.NewUnstartedServer(nil), db, c, m, log, queue, tm)
}

// serveAPI is newAPI on srv, a server not yet started.
func serveAPI(t testing.TB, srv *httptest.Server, db *pgxpool.Pool, c client.Client, m *app.Metrics, log *zap.Logger, queue string, tm durations) (*httptest.Server, *auth.DevIssuer, *policies.Authorizer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	authz, err := policies.New(ctx, db, area.Targets(modules(db, c, queue, log, tm, nil)))
	if err != nil {
		t.Fatal(err)
	}
	go authz.Watch(ctx, log)
	// The issuer's URL is the server's own, known only once it listens.
	issuerURL := "http://" + srv.Listener.Addr().String() + "/dev/oidc"
	issuer, err := auth.NewDevIssuer(issuerURL, "skolflow", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	issuer.Clients = demo.ClientSecrets()
	mods := modules(db, c, queue, log, tm, authz)
	cfg := tm.settings(queue)
	cfg.PublicURL = "http://" + srv.Listener.Addr().String()
	pages, err := app.NewWeb(cfg, log, db, issuerURL, mods)
	if err != nil {
		t.Fatal(err)
	}
	go pages.Watch(ctx, log)
	srv.Config.Handler = api.NewRouter(api.Deps{
		Log: log, DB: db, Temporal: c, Registry: m.Registry, TaskQueue: queue,
		Verifier: auth.NewVerifier(issuerURL, "skolflow"),
		Authz:    authz,
		Dev:      &api.DevMode{Issuer: issuer, UserDomain: demo.UserDomain},
		Modules:  mods,
		Web:      pages,
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, issuer, authz
}

// as signs in as a demo user (see internal/demo/register.json): later requests carry their token.
func (s *stack) as(user string) *stack {
	s.t.Helper()
	if user == "" {
		s.token = ""
		return s
	}
	tok, _, err := s.issuer.Mint(user + "@" + demo.UserDomain)
	if err != nil {
		s.t.Fatal(err)
	}
	s.token = tok
	return s
}

// bearer mints a token for a demo user and answers it as an Authorization header, for doRaw.
// Requests that run side by side each carry their own header: they never share s.token.
func (s *stack) bearer(user string) http.Header {
	s.t.Helper()
	tok, _, err := s.issuer.Mint(user + "@" + demo.UserDomain)
	if err != nil {
		s.t.Fatal(err)
	}
	return http.Header{"Authorization": {"Bearer " + tok}}
}

// atOnce runs each request on a goroutine of its own and releases them together from a
// barrier once every one is ready, so that they truly overlap; it returns when all are done.
// Prepare everything a request needs (tokens, bodies) before: only the request runs after the
// barrier. Each request records what it got, and the test checks that after atOnce returns.
func atOnce(requests ...func()) {
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for _, r := range requests {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-release
			r()
		})
	}
	ready.Wait()
	close(release)
	done.Wait()
}

// id is a demo person's register id by key, e.g. "elev-1" or "larare-a1".
func (s *stack) id(key string) string { return demo.PersonID(key) }

// newHTTPServer serves the real router over real HTTP on a loopback port.
func newHTTPServer(t testing.TB, d api.Deps) *httptest.Server {
	srv := httptest.NewServer(api.NewRouter(d))
	t.Cleanup(srv.Close)
	return srv
}

// do sends a request with an optional JSON body and decodes the JSON answer into out (if not nil).
func (s *stack) do(method, path string, body any, out any) *http.Response {
	s.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			s.t.Fatal(err)
		}
	}
	return s.doRaw(method, path, raw, nil, out)
}

// doRaw sends body as it is (it need not be JSON, nor UTF-8), with header's fields in place of
// the defaults (the bearer token, the JSON content type), and decodes the JSON answer into out
// (if not nil). The answer's body stays readable in the response.
func (s *stack) doRaw(method, path string, body []byte, header http.Header, out any) *http.Response {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, s.api.URL+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	for name, values := range header {
		req.Header.Del(name)
		for _, v := range values {
			req.Header.Add(name, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	checkContract(s.t, req, body, res, data)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, data, err)
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(data))
	return res
}

// contract is api/openapi.yaml, the copy the server embeds, as a router of its operations:
// loaded once per test process.
var contract = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	closeResponses(doc)
	return gorillamux.NewRouter(doc)
})

// closeResponses makes every object of a response that names its members refuse any other, so
// that a member added or renamed in the server and not in the document fails a test. The
// document itself leaves them open, so that clients take members added later in their stride.
func closeResponses(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, res := range op.Responses.Map() {
				for _, media := range res.Value.Content {
					closeObjects(media.Schema, seen)
				}
			}
		}
	}
}

// closeObjects closes the objects of ref at any depth. An allOf becomes one object with the
// members of all its parts first: each part alone would refuse the other parts' members.
func closeObjects(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	if len(s.AllOf) > 0 {
		members := maps.Clone(s.Properties)
		if members == nil {
			members = openapi3.Schemas{}
		}
		for _, part := range s.AllOf {
			closeObjects(part, seen)
			maps.Copy(members, part.Value.Properties)
			s.Required = append(s.Required, part.Value.Required...)
		}
		s.Type, s.Properties, s.AllOf = &openapi3.Types{openapi3.TypeObject}, members, nil
	}
	for _, sub := range s.Properties {
		closeObjects(sub, seen)
	}
	for _, sub := range append(append([]*openapi3.SchemaRef{s.Items, s.AdditionalProperties.Schema}, s.OneOf...), s.AnyOf...) {
		closeObjects(sub, seen)
	}
	if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
		s.AdditionalProperties.Has = openapi3.Ptr(false)
	}
}

// contractOptions report every mismatch of a response at once, each by where it is in the body
// (the failure quotes the body, not the schema), count a status its operation does not list as
// one, and check ids as UUIDs, which kin-openapi otherwise takes as any string.
var contractOptions = &openapi3filter.Options{
	IncludeResponseStatus: true,
	MultiError:            true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{
		openapi3.DisableSchemaErrorDetails(),
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
	},
}

// checkContract fails the test, and lets it go on, when a response is not what api/openapi.yaml
// says its operation answers: a status the operation does not list, another content type, or a
// body its schema refuses. A request for a path or method the document does not have must be
// answered 404 or 405; nothing else about it is checked, as the document says nothing of it.
func checkContract(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, body []byte) {
	t.Helper()
	if _, ok := t.(*testing.B); ok {
		return // a benchmark times the round trip, not the check; the tests drive the same routes
	}
	if strings.HasPrefix(req.URL.Path, api.StandardPrefix+"/") {
		v, err := standardContract()
		if err == nil {
			err = v.Check(req, reqBody, res.StatusCode, res.Header, body)
		}
		if err != nil {
			t.Errorf("SS 12000: %v\nbody: %.2000s", err, body)
		}
		return
	}
	router, err := contract()
	if err != nil {
		t.Errorf("api/openapi.yaml: %v", err)
		return
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s = %d, but api/openapi.yaml has no such operation (%v)", req.Method, req.URL.Path, res.StatusCode, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                contractOptions,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s = %d, not what api/openapi.yaml says of %s: %v\nbody: %.2000s",
			req.Method, req.URL.Path, res.StatusCode, route.Operation.OperationID, err, body)
	}
}

// standardContract holds the SS 12000 routes to the standard's official document.
var standardContract = sync.OnceValues(func() (*ss12000spec.Validator, error) {
	return ss12000spec.NewValidator(api.StandardPrefix)
})

// expect sends a request with an optional JSON body, fails the test unless it answers status,
// and only then decodes the answer into a fresh T: a refusal never passes as an empty answer,
// nor as an earlier one left in a variable used twice.
func expect[T any](s *stack, status int, method, path string, body any) T {
	s.t.Helper()
	return decoded[T](s.t, s.do(method, path, body, nil), status)
}

// get is expect for a GET that must answer 200.
func get[T any](s *stack, path string) T {
	s.t.Helper()
	return expect[T](s, http.StatusOK, "GET", path, nil)
}

// decoded fails the test unless res has status, then decodes its body into a fresh T.
func decoded[T any](t testing.TB, res *http.Response, status int) T {
	t.Helper()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != status {
		t.Fatalf("%s %s: %d %s, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, data, status)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: %d %s: %v", res.Request.Method, res.Request.URL.Path, res.StatusCode, data, err)
	}
	return out
}

// send sends a request with an optional JSON body and answers the response with its raw body,
// for a test that looks at every byte (what a response must not contain anywhere).
func (s *stack) send(method, path string, body any) (*http.Response, []byte) {
	s.t.Helper()
	res := s.do(method, path, body, nil)
	data, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, data
}

// count answers a count(*) query on the test's database; an error fails the test, so that a
// query that went wrong never passes for "nothing was written".
func (s *stack) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// closed waits until the process id (its latest run) has closed, fails the test unless it
// completed within timeout, and decodes its result into out (if not nil). What a process did
// is read from the process itself once it is over, never assumed after a sleep.
func closed(t testing.TB, s *stack, id string, timeout time.Duration, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s.temporal.GetWorkflow(ctx, id, "").Get(ctx, out); err != nil {
		t.Fatalf("%s did not complete within %v: %v", id, timeout, err)
	}
}

// eventually polls cond every 100 ms until it holds or timeout passes.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newNamespace registers a Temporal namespace of the test's own. Workflow IDs are business keys
// and the demo's pupils are the same in every test, so two tests' processes for one pupil and
// day would have the same ID: in a shared namespace the later test would reach the earlier
// one's process, whose worker is gone, and wait for it in vain.
func newNamespace(t testing.TB, server temporaltest.Server) string {
	t.Helper()
	name := "test-" + randomHex()
	if err := devserver.RegisterNamespace(context.Background(), server.FrontendHostPort(), name, 24*time.Hour, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return name
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startedBefore is when a test's lesson began: ago before now, but never before midnight in the
// schools' time zone, so that a test run just after midnight takes, and corrects, the register
// of one school day (a correction is only taken on the lesson's day).
func startedBefore(now time.Time, ago time.Duration) time.Time {
	y, m, d := now.In(register.SchoolDay).Date()
	return maxTime(now.Add(-ago), time.Date(y, m, d, 0, 0, 0, 0, register.SchoolDay))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
