package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
)

// Contact is how a person wants to be told, besides the in-app inbox, which gets every message
// (contact_preferences, which the processes' activities read to notify).
type Contact struct {
	Language string   `db:"language"` // sv or en
	Email    *string  `db:"email"`
	Phone    *string  `db:"phone"`
	Channels []string `db:"channels"` // email, sms
}

// ContactOf answers the person's preferences; a person who has set none gets Swedish, in the
// app only.
func ContactOf(ctx context.Context, db *pgxpool.Pool, person string) (Contact, error) {
	c, err := collect.One[Contact](ctx, db, `SELECT language, email, phone, channels FROM contact_preferences WHERE person_id = $1`, person)
	if errs.KindOf(err) == errs.NotFound {
		return Contact{Language: "sv", Channels: []string{}}, nil
	}
	return c, err
}

// SetContact replaces the person's preferences.
func SetContact(ctx context.Context, db *pgxpool.Pool, person string, c Contact) error {
	_, err := db.Exec(ctx, `INSERT INTO contact_preferences (person_id, language, email, phone, channels) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (person_id) DO UPDATE SET language = EXCLUDED.language, email = EXCLUDED.email, phone = EXCLUDED.phone,
		  channels = EXCLUDED.channels`, person, c.Language, c.Email, c.Phone, c.Channels)
	return err
}
