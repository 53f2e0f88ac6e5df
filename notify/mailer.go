package notify

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// Mailer sends email over SMTP.
type Mailer struct {
	Addr string // host:port of the SMTP server
	From string // e.g. "Skolflow <noreply@skolflow.test>"
}

// Send delivers one message. messageID is stable for the delivery (derived from its idempotency
// key), so a retry after a lost acknowledgement is recognisable as the same message.
func (m Mailer) Send(ctx context.Context, to, messageID string, msg Message) error {
	if m.Addr == "" {
		return ErrNotConfigured
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	conn, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	from := envelope(m.From)
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	header := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		m.From, to, mime.QEncoding.Encode("utf-8", msg.Subject), messageID, time.Now().Format(time.RFC1123Z))
	body := strings.ReplaceAll(msg.Body, "\n", "\r\n")
	if _, err := w.Write([]byte(header + body)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// envelope is the bare address of "Name <addr>".
func envelope(from string) string {
	if i := strings.LastIndex(from, "<"); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}
