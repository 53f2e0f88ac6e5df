package api

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/store"
)

// The in-app inbox, and each person's choice of how else to be told: read and written through
// the kernel store (store.Notifications, store.ContactOf).

type notificationHandlers struct{ Deps }

// list answers the signed-in person's notifications, newest first; ?unread=true for unread only.
func (h notificationHandlers) list(c *gin.Context) {
	unread := c.Query("unread")
	if unread != "" && unread != "true" && unread != "false" {
		Abort(c, invalid("notifications.list", errs.FieldError{Field: "unread", Detail: "must be true or false"}))
		return
	}
	out, err := store.Notifications(c, h.DB, ViewerOf(c).PersonID, unread == "true")
	if err != nil {
		Abort(c, errs.E("notifications.list", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// read marks one of the signed-in person's notifications as read.
func (h notificationHandlers) read(c *gin.Context) {
	if err := store.MarkRead(c, h.DB, c.Param("notificationId"), ViewerOf(c).PersonID); err != nil {
		Abort(c, errs.E("notifications.read", err))
		return
	}
	c.Status(http.StatusNoContent)
}

// ContactPreferences is how a person wants to be told: in the app always, and on the channels
// listed. A PUT sends every member; a null email or phone is none. It is store.Contact as the
// API reads and writes it.
type ContactPreferences struct {
	Language string   `json:"language"`
	Email    *string  `json:"email"`
	Phone    *string  `json:"phone"`
	Channels []string `json:"channels"`
}

func (h notificationHandlers) contact(c *gin.Context) {
	p, err := store.ContactOf(c, h.DB, ViewerOf(c).PersonID)
	if err != nil {
		Abort(c, errs.E("contact.get", err))
		return
	}
	c.JSON(http.StatusOK, ContactPreferences(p))
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

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
	if in.Email != nil {
		if !validEmail(*in.Email) {
			bad.Add("email", "must be an email address, without spaces or control characters")
		}
	}
	if in.Channels == nil {
		in.Channels = []string{}
	}
	for _, ch := range in.Channels {
		// The document allows email and sms: what each needs is the rule it cannot state.
		switch {
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
	if err := store.SetContact(c, h.DB, ViewerOf(c).PersonID, store.Contact(in)); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, in)
}
