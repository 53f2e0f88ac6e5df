package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
)

// The in-app inbox (notifications) and how each other channel fared (deliveries), which the
// processes' activities write (activities/notifications.go).

// NotificationView is a message in the in-app inbox, with how each other channel fared.
type NotificationView struct {
	ID         string         `json:"id" db:"id"`
	ProcessID  string         `json:"processId" db:"process_id"`
	Purpose    string         `json:"purpose" db:"purpose"`
	Subject    string         `json:"subject" db:"subject"`
	Body       string         `json:"body" db:"body"`
	CreatedAt  time.Time      `json:"createdAt" db:"created_at"`
	ReadAt     *time.Time     `json:"readAt" db:"read_at"`
	Deliveries []DeliveryView `json:"deliveries" db:"deliveries"`
}

// DeliveryView is one channel's delivery: queued, sent, or failed with the reason.
type DeliveryView struct {
	Channel  string     `json:"channel"`
	State    string     `json:"state"`
	Attempts int        `json:"attempts"`
	Error    *string    `json:"error"`
	SentAt   *time.Time `json:"sentAt"`
}

// Notifications answers the person's 200 newest notifications, newest first, each with its
// deliveries by channel; only those not yet read when unreadOnly.
func Notifications(ctx context.Context, db *pgxpool.Pool, person string, unreadOnly bool) ([]NotificationView, error) {
	return collect.All[NotificationView](ctx, db, `SELECT n.id::text AS id, n.process_id, n.purpose, n.subject, n.body, n.created_at, n.read_at,
		  coalesce((SELECT json_agg(json_build_object('channel', d.channel, 'state', d.state, 'attempts', d.attempts,
		      'error', d.last_error, 'sentAt', d.sent_at) ORDER BY d.channel) FROM deliveries d WHERE d.notification_id = n.id), '[]')
		    AS deliveries
		FROM notifications n WHERE n.recipient_id = $1 AND ($2 = false OR n.read_at IS NULL)
		ORDER BY n.created_at DESC LIMIT 200`, person, unreadOnly)
}

// MarkRead marks the notification read, if it is the person's and unread; a notification read
// before keeps the moment it was first read. Another's, or none, changes nothing and is no error.
func MarkRead(ctx context.Context, db *pgxpool.Pool, notification, person string) error {
	_, err := db.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2`,
		notification, person)
	return err
}
