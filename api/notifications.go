package api

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// The in-app inbox, and each person's choice of how else to be told.

type notificationHandlers struct{ Deps }

// NotificationView is a message in the in-app inbox, with how each other channel fared.
type NotificationView struct {
	ID         string         `json:"id"`
	ProcessID  string         `json:"processId"`
	Purpose    string         `json:"purpose"`
	Subject    string         `json:"subject"`
	Body       string         `json:"body"`
	CreatedAt  time.Time      `json:"createdAt"`
	ReadAt     *time.Time     `json:"readAt"`
	Deliveries []DeliveryView `json:"deliveries"`
}

// DeliveryView is one channel's delivery: queued, sent, or failed with the reason.
type DeliveryView struct {
	Channel  string     `json:"channel"`
	State    string     `json:"state"`
	Attempts int        `json:"attempts"`
	Error    *string    `json:"error"`
	SentAt   *time.Time `json:"sentAt"`
}

// list answers the signed-in person's notifications, newest first; ?unread=true for unread only.
func (h notificationHandlers) list(c *gin.Context) {
	unread := c.Query("unread")
	if unread != "" && unread != "true" && unread != "false" {
		Abort(c, invalid("notifications.list", errs.FieldError{Field: "unread", Detail: "must be true or false"}))
		return
	}
	rows, err := h.DB.Query(c, `SELECT n.id::text, n.process_id, n.purpose, n.subject, n.body, n.created_at, n.read_at,
		  coalesce((SELECT json_agg(json_build_object('channel', d.channel, 'state', d.state, 'attempts', d.attempts,
		      'error', d.last_error, 'sentAt', d.sent_at) ORDER BY d.channel) FROM deliveries d WHERE d.notification_id = n.id), '[]')
		FROM notifications n WHERE n.recipient_id = $1 AND ($2 = false OR n.read_at IS NULL)
		ORDER BY n.created_at DESC LIMIT 200`, ViewerOf(c).PersonID, unread == "true")
	respondRows[NotificationView](c, "notifications.list", rows, err)
}

// read marks one of the signed-in person's notifications as read.
func (h notificationHandlers) read(c *gin.Context) {
	_, err := h.DB.Exec(c, `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2`,
		c.Param("notificationId"), ViewerOf(c).PersonID)
	if err != nil {
		Abort(c, errs.E("notifications.read", err))
		return
	}
	c.Status(http.StatusNoContent)
}

// ContactPreferences is how a person wants to be told: in the app always, and on the channels
// listed. A PUT sends every member; a null email or phone is none.
type ContactPreferences struct {
	Language string   `json:"language"`
	Email    *string  `json:"email"`
	Phone    *string  `json:"phone"`
	Channels []string `json:"channels"`
}

func (h notificationHandlers) contact(c *gin.Context) {
	p := ContactPreferences{Language: "sv", Channels: []string{}}
	err := h.DB.QueryRow(c, `SELECT language, email, phone, channels FROM contact_preferences WHERE person_id = $1`,
		ViewerOf(c).PersonID).Scan(&p.Language, &p.Email, &p.Phone, &p.Channels)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		Abort(c, errs.E("contact.get", err))
		return
	}
	c.JSON(http.StatusOK, p)
}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	phonePattern = regexp.MustCompile(`^\+[0-9]{7,15}$`)
)

// validEmail reports whether s is an address mail can go to: one @ with a dot after it, and
// nothing that is not a visible character. Go's \s knows only ASCII spaces; the database's check
// also refuses Unicode ones (U+2028, U+2029, U+0085, no-break space), and a control or format
// character has no place in an address either.
func validEmail(s string) bool {
	return emailPattern.MatchString(s) &&
		!strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || unicode.IsSpace(r) })
}

// setContact replaces the signed-in person's own preferences.
func (h notificationHandlers) setContact(c *gin.Context) {
	const op = "contact.set"
	var in ContactPreferences
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	if in.Language != "sv" && in.Language != "en" {
		bad.Add("language", "must be sv or en")
	}
	if in.Email != nil {
		if !validEmail(*in.Email) {
			bad.Add("email", "must be an email address, without spaces or control characters")
		}
	}
	if in.Phone != nil && !phonePattern.MatchString(*in.Phone) {
		bad.Add("phone", "must be a phone number in international form, such as +46701234567")
	}
	if in.Channels == nil {
		in.Channels = []string{}
	}
	for _, ch := range in.Channels {
		switch {
		case ch != "email" && ch != "sms":
			bad.Add("channels", "may list email and sms; the in-app inbox always gets every message")
		case ch == "email" && in.Email == nil:
			bad.Add("email", "is required to be told by email")
		case ch == "sms" && in.Phone == nil:
			bad.Add("phone", "is required to be told by SMS")
		}
	}
	slices.Sort(in.Channels)
	in.Channels = slices.Compact(in.Channels)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	_, err = h.DB.Exec(c, `INSERT INTO contact_preferences (person_id, language, email, phone, channels) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (person_id) DO UPDATE SET language = EXCLUDED.language, email = EXCLUDED.email, phone = EXCLUDED.phone,
		  channels = EXCLUDED.channels`, ViewerOf(c).PersonID, in.Language, in.Email, in.Phone, in.Channels)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, in)
}
