// Package config reads Skolflow's settings from the environment.
//
// Every setting has a name, a default and a meaning (Settings); the README's configuration
// table shows the same facts, and TestREADMEListsEverySetting keeps the two in step.
// A setting that does not parse is reported as a *SettingError naming it, so that the binary can
// print one clear line and exit with code 2.
package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is the whole of Skolflow's configuration. It is read once at start.
type Config struct {
	DatabaseURL string // DATABASE_URL

	HTTPAddr        string        // SKOLFLOW_HTTP_ADDR
	ShutdownTimeout time.Duration // SKOLFLOW_SHUTDOWN_TIMEOUT

	LogFormat string // SKOLFLOW_LOG_FORMAT: json or console
	LogLevel  string // SKOLFLOW_LOG_LEVEL

	TemporalAddress   string // TEMPORAL_ADDRESS
	TemporalNamespace string // TEMPORAL_NAMESPACE
	TaskQueue         string // SKOLFLOW_TASK_QUEUE

	// Sign-in: the OIDC issuer whose bearer tokens the API accepts, and the audience they must
	// name. `skolflow dev` runs its own issuer and ignores OIDCIssuer.
	OIDCIssuer   string // SKOLFLOW_OIDC_ISSUER
	OIDCAudience string // SKOLFLOW_OIDC_AUDIENCE

	// The web pages: the address people reach them at (the sign-in's redirect comes back
	// there, and an https address makes the session cookie Secure), the platform's client at the
	// issuer, and how long a session lasts in all and without use.
	PublicURL        string        // SKOLFLOW_PUBLIC_URL
	OIDCClientID     string        // SKOLFLOW_OIDC_CLIENT_ID
	OIDCClientSecret string        // SKOLFLOW_OIDC_CLIENT_SECRET
	SessionTTL       time.Duration // SKOLFLOW_SESSION_TTL
	SessionIdle      time.Duration // SKOLFLOW_SESSION_IDLE

	// Dev mode only: where the child Temporal dev server comes from and what it listens on.
	DataDir        string // SKOLFLOW_DATA_DIR
	TemporalBinary string // SKOLFLOW_TEMPORAL_BIN
	TemporalUIPort int    // SKOLFLOW_TEMPORAL_UI_PORT
	// "dev" (the CLI's dev server, SQLite in DataDir) or "postgres" (Temporal Server on
	// PostgreSQL, as production runs it), with the server's binaries.
	TemporalServer        string // SKOLFLOW_TEMPORAL_SERVER
	TemporalServerBinary  string // SKOLFLOW_TEMPORAL_SERVER_BIN
	TemporalSQLToolBinary string // SKOLFLOW_TEMPORAL_SQL_TOOL_BIN

	// Notifications: where email and SMS go, and how long a delivery is retried before the
	// process is told it failed.
	SMTPAddr         string        // SKOLFLOW_SMTP_ADDR
	MailFrom         string        // SKOLFLOW_MAIL_FROM
	SMSGatewayURL    string        // SKOLFLOW_SMS_GATEWAY_URL
	DeliveryDeadline time.Duration // SKOLFLOW_DELIVERY_DEADLINE

	// The areas' settings by name (area.go). Every timer a workflow sets is data; an area
	// declares the defaults it puts into its processes' input.
	areas map[string]any
}

// Setting describes one environment variable: the README's configuration table lists these.
type Setting struct {
	Name    string
	Default string
	Meaning string
}

// Settings lists the kernel's environment variables, in the order the README shows them; the
// areas declare theirs (area.go), and All lists both.
var Settings = []Setting{
	{"DATABASE_URL", "postgres://postgres@127.0.0.1:5432/skolflow?sslmode=disable", "PostgreSQL connection URL. `skolflow dev` creates the database if it is missing."},
	{"SKOLFLOW_HTTP_ADDR", "127.0.0.1:8080", "Address the HTTP API listens on."},
	{"SKOLFLOW_SHUTDOWN_TIMEOUT", "20s", "How long in-flight requests and activities get to finish on SIGINT/SIGTERM."},
	{"SKOLFLOW_LOG_FORMAT", "json (console for `skolflow dev`)", "`json` or `console`."},
	{"SKOLFLOW_LOG_LEVEL", "info", "`debug`, `info`, `warn` or `error`."},
	{"TEMPORAL_ADDRESS", "127.0.0.1:7233", "Temporal frontend host:port. In dev mode the child dev server listens here."},
	{"TEMPORAL_NAMESPACE", "default", "Temporal namespace."},
	{"SKOLFLOW_TASK_QUEUE", "skolflow", "Temporal task queue the worker polls."},
	{"SKOLFLOW_OIDC_ISSUER", "(none; `skolflow dev` runs its own)", "URL of the OIDC issuer whose tokens the API accepts; its JWKS is found through its discovery document. Required by `skolflow api`."},
	{"SKOLFLOW_OIDC_AUDIENCE", "skolflow", "The audience (`aud`) tokens must name."},
	{"SKOLFLOW_PUBLIC_URL", "http://<SKOLFLOW_HTTP_ADDR>", "The address people open the web pages at. Sign-in redirects back to <this>/signin/callback; an `https` address makes the session cookie Secure."},
	{"SKOLFLOW_OIDC_CLIENT_ID", "skolflow", "The web pages' client id at the OIDC issuer (authorization code with PKCE)."},
	{"SKOLFLOW_OIDC_CLIENT_SECRET", "(none)", "The web pages' client secret at the OIDC issuer, if it gave one (a public client with PKCE needs none)."},
	{"SKOLFLOW_SESSION_TTL", "8h", "How long a web session lasts after sign-in, at most."},
	{"SKOLFLOW_SESSION_IDLE", "30m", "A web session unused this long ends; the next page asks to sign in again and then returns there."},
	{"SKOLFLOW_DATA_DIR", ".data", "Dev mode: where the Temporal dev server keeps its state."},
	{"SKOLFLOW_TEMPORAL_BIN", ".bin/temporal", "Dev mode: the Temporal CLI binary (built by `make` from tools/go.mod)."},
	{"SKOLFLOW_TEMPORAL_UI_PORT", "8233", "Dev mode: port of the Temporal web UI."},
	{"SKOLFLOW_TEMPORAL_SERVER", "dev", "Dev mode: `dev` runs the Temporal CLI's dev server (state in SQLite under SKOLFLOW_DATA_DIR); `postgres` runs Temporal Server v1.29.1 persisting in the databases `temporal` and `temporal_visibility` on DATABASE_URL's server, as production does (`make run TEMPORAL=postgres`)."},
	{"SKOLFLOW_TEMPORAL_SERVER_BIN", ".bin/temporal-server", "Dev mode: the Temporal Server binary (built by `make` from tools/go.mod)."},
	{"SKOLFLOW_TEMPORAL_SQL_TOOL_BIN", ".bin/temporal-sql-tool", "Dev mode: Temporal's SQL tool, which sets up and upgrades the server's schemas."},
	{"SKOLFLOW_SMTP_ADDR", "(none; 127.0.0.1:2525 in `skolflow dev`)", "host:port of the SMTP server email goes through. `skolflow dev` runs a local one there and shows its mail at /dev/mail. Without it the email channel is off."},
	{"SKOLFLOW_MAIL_FROM", "Skolflow <noreply@skolflow.test>", "The sender of the platform's email."},
	{"SKOLFLOW_SMS_GATEWAY_URL", "(none; /dev/sms in `skolflow dev`)", "URL of the SMS gateway: Skolflow POSTs {to, text} as JSON with an Idempotency-Key header. Without it the SMS channel is off."},
	{"SKOLFLOW_DELIVERY_DEADLINE", "6h", "How long an email or SMS delivery is retried, with backoff, before the process is told it failed."},
}

// SettingError names the setting that is wrong. Its message is the one line the binary prints.
type SettingError struct {
	Name   string
	Reason string
}

func (e *SettingError) Error() string { return e.Name + ": " + e.Reason }

// Load reads the configuration through getenv (os.Getenv in production, a map in tests).
// dev selects the defaults of `skolflow dev`.
func Load(getenv func(string) string, dev bool) (Config, error) {
	r := reader{getenv: getenv}
	logFormat := "json"
	if dev {
		logFormat = "console"
	}
	c := Config{
		DatabaseURL:           r.str("DATABASE_URL"),
		HTTPAddr:              r.hostPort("SKOLFLOW_HTTP_ADDR"),
		ShutdownTimeout:       r.duration("SKOLFLOW_SHUTDOWN_TIMEOUT"),
		LogFormat:             r.oneOf("SKOLFLOW_LOG_FORMAT", logFormat, "json", "console"),
		LogLevel:              r.oneOf("SKOLFLOW_LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		TemporalAddress:       r.hostPort("TEMPORAL_ADDRESS"),
		TemporalNamespace:     r.str("TEMPORAL_NAMESPACE"),
		TaskQueue:             r.str("SKOLFLOW_TASK_QUEUE"),
		OIDCIssuer:            strings.TrimSpace(getenv("SKOLFLOW_OIDC_ISSUER")),
		OIDCAudience:          r.str("SKOLFLOW_OIDC_AUDIENCE"),
		PublicURL:             strings.TrimSuffix(strings.TrimSpace(getenv("SKOLFLOW_PUBLIC_URL")), "/"),
		OIDCClientID:          r.str("SKOLFLOW_OIDC_CLIENT_ID"),
		OIDCClientSecret:      getenv("SKOLFLOW_OIDC_CLIENT_SECRET"),
		SessionTTL:            r.duration("SKOLFLOW_SESSION_TTL"),
		SessionIdle:           r.duration("SKOLFLOW_SESSION_IDLE"),
		DataDir:               r.str("SKOLFLOW_DATA_DIR"),
		TemporalBinary:        r.str("SKOLFLOW_TEMPORAL_BIN"),
		TemporalUIPort:        r.port("SKOLFLOW_TEMPORAL_UI_PORT"),
		TemporalServer:        r.oneOf("SKOLFLOW_TEMPORAL_SERVER", "dev", "dev", "postgres"),
		TemporalServerBinary:  r.str("SKOLFLOW_TEMPORAL_SERVER_BIN"),
		TemporalSQLToolBinary: r.str("SKOLFLOW_TEMPORAL_SQL_TOOL_BIN"),
		SMTPAddr:              strings.TrimSpace(getenv("SKOLFLOW_SMTP_ADDR")),
		MailFrom:              r.str("SKOLFLOW_MAIL_FROM"),
		SMSGatewayURL:         strings.TrimSpace(getenv("SKOLFLOW_SMS_GATEWAY_URL")),
		DeliveryDeadline:      r.duration("SKOLFLOW_DELIVERY_DEADLINE"),
		areas:                 areaValues(&r),
	}
	if dev && c.SMTPAddr == "" {
		c.SMTPAddr = "127.0.0.1:2525"
	}
	if c.SMTPAddr != "" {
		if _, port, err := net.SplitHostPort(c.SMTPAddr); err != nil || port == "" {
			r.fail("SKOLFLOW_SMTP_ADDR", fmt.Sprintf("%q is not a host:port address", c.SMTPAddr))
		}
	}
	if c.SMSGatewayURL != "" {
		if u, err := url.Parse(c.SMSGatewayURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			r.fail("SKOLFLOW_SMS_GATEWAY_URL", "must be an http(s) URL")
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.HTTPAddr
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" {
		r.fail("SKOLFLOW_PUBLIC_URL", "must be an http(s) URL with no path, such as https://skola.example.se")
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			r.fail("SKOLFLOW_OIDC_ISSUER", "must be an http(s) URL")
		}
	}
	if r.err == nil {
		if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
			// pgx's message may echo the URL, password included: say only what is wrong.
			r.fail("DATABASE_URL", "not a valid PostgreSQL connection URL")
		}
	}
	return c, r.err
}

// Default returns the default value of a setting as written in Settings or an area's declaration.
func Default(name string) string {
	for _, s := range All() {
		if s.Name == name {
			return s.Default
		}
	}
	panic("config: unknown setting " + name)
}

// reader collects the first error so Load can read top to bottom.
type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) fail(name, reason string) {
	if r.err == nil {
		r.err = &SettingError{Name: name, Reason: reason}
	}
}

// list reads a comma-separated list of names: each without spaces or control characters.
func (r *reader) list(name string) []string {
	var out []string
	for _, v := range strings.Split(r.str(name), ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if strings.ContainsFunc(v, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
			r.fail(name, "must be names separated by commas")
			return nil
		}
		out = append(out, v)
	}
	return out
}

func (r *reader) str(name string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return Default(name)
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
	return def
}

func (r *reader) duration(name string) time.Duration {
	v := r.str(name)
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, fmt.Sprintf("%q is not a positive duration such as 30s or 10m", v))
	}
	return d
}

// clock reads a time of day, HH:MM, as the time since midnight.
func (r *reader) clock(name string) time.Duration {
	v := r.str(name)
	t, err := time.Parse("15:04", v)
	if err != nil {
		r.fail(name, fmt.Sprintf("%q is not a time of day such as 15:00", v))
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}

func (r *reader) number(name string, lo, hi int) int {
	v := r.str(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, fmt.Sprintf("%q is not a whole number from %d to %d", v, lo, hi))
	}
	return n
}

func (r *reader) port(name string) int {
	v := r.str(name)
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		r.fail(name, fmt.Sprintf("%q is not a port number", v))
	}
	return p
}

func (r *reader) hostPort(name string) string {
	v := r.str(name)
	_, port, err := net.SplitHostPort(v)
	if p, perr := strconv.Atoi(port); err != nil || perr != nil || p < 0 || p > 65535 {
		r.fail(name, fmt.Sprintf("%q is not a host:port address", v))
	}
	return v
}
