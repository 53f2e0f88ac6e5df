package demo

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// contacts are the demo users' channel choices: every one has an address at the demo domain,
// so the local mailbox shows what each would receive.
var contacts = []struct {
	key, language string
	channels      []string
	phone         *string
}{
	{"vh-1", "sv", []string{"email"}, nil},
	{"vh-2", "en", []string{"email", "sms"}, ptr("+46701234502")},
	{"vh-3", "sv", []string{"sms"}, ptr("+46701234503")},
	{"vh-4", "sv", []string{"email"}, nil},
	{"vh-5", "sv", []string{"email"}, nil},
	{"annan-1", "sv", []string{"email"}, nil},
	{"rektor-a", "sv", []string{"email"}, nil},
	{"rektor-b", "sv", []string{"email"}, nil},
	{"admin-a", "sv", []string{"email"}, nil},
	{"larare-a1", "sv", []string{"email"}, nil},
	{"larare-a2", "en", []string{"email"}, nil},
	{"larare-b1", "sv", []string{"email"}, nil},
	{"spec-a", "sv", []string{"email"}, nil},
	{"elev-1", "sv", []string{"email"}, nil},
	{"rektor-c", "sv", []string{"email"}, nil},
	{"larare-c1", "sv", []string{"email"}, nil},
}

// LoadContacts sets the demo users' contact preferences; loading twice changes nothing.
func LoadContacts(ctx context.Context, db *pgxpool.Pool) error {
	for _, c := range contacts {
		_, err := db.Exec(ctx, `INSERT INTO contact_preferences (person_id, language, email, phone, channels)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id) DO NOTHING`,
			PersonID(c.key), c.language, c.key+"@"+UserDomain, c.phone, c.channels)
		if err != nil {
			return err
		}
	}
	return nil
}

func ptr(s string) *string { return &s }
