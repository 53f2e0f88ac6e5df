// Package mailsink is a local SMTP server that keeps the mail it receives in memory and shows it
// on a web page: the mailbox of `skolflow dev`, and the real SMTP peer of the tests. It also
// takes SMS from the platform's SMS gateway interface, so a newcomer sees everything the platform
// sent in one place.
//
// Like mailbox providers that drop a second copy of a message (Gmail does; so does mailpit with
// --ignore-duplicate-ids), it keeps one message per Message-ID. Skolflow gives every delivery a
// Message-ID derived from its idempotency key, so a delivery retried after a crash arrives once.
package mailsink

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one received mail or SMS.
type Message struct {
	Channel   string    `json:"channel"` // email or sms
	From      string    `json:"from"`
	To        []string  `json:"to"`
	MessageID string    `json:"messageId"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Received  time.Time `json:"received"`
}

// Sink is a running SMTP server and its mailbox.
type Sink struct {
	srv *smtp.Server
	ln  net.Listener

	mu       sync.Mutex
	messages []Message
	seen     map[string]bool

	// BeforeReply, if set, runs after a message is kept and before the server answers the
	// sender: a test can kill the sender there, as a crash between sending and recording would.
	BeforeReply func(Message)
}

// Start listens for SMTP on addr ("127.0.0.1:0" picks a free port).
func Start(addr string) (*Sink, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Sink{ln: ln, seen: map[string]bool{}}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	go s.srv.Serve(ln)
	return s, nil
}

// Addr is the host:port the sink listens on.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Sink) Close() error { return s.srv.Close() }

// Messages returns what was received, oldest first.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// keep stores m unless a message with its Message-ID is already there.
func (s *Sink) keep(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.MessageID != "" && s.seen[m.MessageID] {
		return
	}
	s.seen[m.MessageID] = true
	s.messages = append(s.messages, m)
}

type backend struct{ s *Sink }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Sink
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	m := Message{Channel: "email", From: x.from, To: x.to, MessageID: msg.Header.Get("Message-ID"),
		Subject: subject, Body: string(body), Received: time.Now()}
	x.s.keep(m)
	if hook := x.s.BeforeReply; hook != nil {
		hook(m)
	}
	return nil
}

// SMS is the body the SMS gateway interface posts.
type SMS struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

// SMSHandler is a stand-in SMS gateway: it takes what Skolflow's gateway client posts and keeps
// one message per Idempotency-Key. It is for dev mode and tests; production points
// SKOLFLOW_SMS_GATEWAY_URL at a real gateway.
func (s *Sink) SMSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sms SMS
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&sms); err != nil || sms.To == "" {
			http.Error(w, "want {to, text}", http.StatusBadRequest)
			return
		}
		s.keep(Message{Channel: "sms", To: []string{sms.To}, MessageID: r.Header.Get("Idempotency-Key"),
			Body: sms.Text, Received: time.Now()})
		w.WriteHeader(http.StatusAccepted)
	})
}

// PageHandler shows the mailbox as a web page, newest first, or as JSON with ?format=json.
func (s *Sink) PageHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msgs := s.Messages()
		for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
		if r.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(msgs)
			return
		}
		var buf bytes.Buffer
		if err := page.Execute(&buf, msgs); err != nil {
			http.Error(w, "cannot show the mailbox", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
}

var page = template.Must(template.New("mailbox").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skolflow dev mailbox</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}article{border-bottom:1px solid #ccc;padding:1rem 0}
pre{white-space:pre-wrap}small{color:#666}</style></head><body>
<h1>Mail and SMS the platform sent</h1>
<p><small>The local mailbox of <code>skolflow dev</code>. Reload to see new messages; <a href="?format=json">as JSON</a>.</small></p>
{{range .}}<article><small>{{.Channel}} · {{.Received.Format "2006-01-02 15:04:05"}} · to {{range .To}}{{.}} {{end}}</small>
{{if .Subject}}<h2>{{.Subject}}</h2>{{end}}<pre>{{.Body}}</pre></article>
{{else}}<p>Nothing yet.</p>{{end}}
</body></html>`))
