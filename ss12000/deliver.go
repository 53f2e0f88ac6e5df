package ss12000

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/temporal"
)

// Activities are the area's activities: the delivery of a subscription's notifications.
type Activities struct {
	DB *pgxpool.Pool
	// Hosts are the callback hosts the operator allows (CallbackHosts); a target elsewhere is
	// not called, even if it was allowed when the subscription was made.
	Hosts []string
	// HTTP calls the receivers; nil: a client of its own with a timeout, following no redirect.
	HTTP *http.Client
	// Source is the source register of the scheduled sync (ConfiguredSource); nil: none.
	Source func(context.Context) Source
}

// maxPerNotification bounds the changes one notification tells of; more wait for the next.
const maxPerNotification = 10000

// Notification is the standard's callback body (its document's names, spelling included):
// which types of resources changed, and whether something was deleted. The receiver reads what
// changed from the lists (meta.modified.after) and deletedEntities. The notification's id is in
// the header NotificationIDHeader.
type Notification struct {
	ModifiedEntites []string `json:"modifiedEntites"`
	DeletedEntities bool     `json:"deletedEntities"`
}

// NotificationIDHeader names the header that carries a notification's id.
const NotificationIDHeader = "X-Notification-Id"

// DeliverSubscription tells the receiver of a subscription the changes pending for it, and removes those it
// told once the receiver has taken them (2xx). A receiver that does not take it fails the
// activity, and it is tried again, with the same changes and more that came meanwhile; a change
// recorded while it ran is told next time. A notification's id is that of the changes it tells:
// tried again with the same changes (after a crash between the receiver's answer and the
// removal), it has the same id, and the receiver takes it once; one that tells more is new.
func (a *Activities) DeliverSubscription(ctx context.Context, req DeliverRequest) (Delivered, error) {
	var target string
	var expires time.Time
	err := a.DB.QueryRow(ctx, `SELECT target, expires FROM ss12000_subscriptions WHERE id = $1`, req.Subscription).Scan(&target, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return Delivered{Gone: true}, nil
	}
	if err != nil {
		return Delivered{}, err
	}
	if !expires.After(time.Now()) {
		return Delivered{Expired: true}, nil
	}
	rows, err := a.DB.Query(ctx, `SELECT seq, resource, deleted FROM ss12000_pending WHERE subscription_id = $1 ORDER BY seq LIMIT $2`,
		req.Subscription, maxPerNotification)
	if err != nil {
		return Delivered{}, err
	}
	type pending struct {
		Seq      int64  `db:"seq"`
		Resource string `db:"resource"`
		Deleted  bool   `db:"deleted"`
	}
	changes, err := pgx.CollectRows(rows, pgx.RowToStructByName[pending])
	if err != nil || len(changes) == 0 {
		return Delivered{}, err
	}
	var n Notification
	n.ModifiedEntites = []string{}
	seqs := make([]int64, len(changes))
	var key strings.Builder
	for i, c := range changes {
		seqs[i] = c.Seq
		fmt.Fprintf(&key, "%d,", c.Seq)
		n.DeletedEntities = n.DeletedEntities || c.Deleted
		if !c.Deleted && !slices.Contains(n.ModifiedEntites, c.Resource) {
			n.ModifiedEntites = append(n.ModifiedEntites, c.Resource)
		}
	}
	slices.Sort(n.ModifiedEntites)
	id := uuid.NewSHA1(uuid.MustParse(req.Subscription), []byte(key.String())).String()
	if err := a.post(ctx, target, id, n); err != nil {
		// Marked failing, the process is not woken for each change while it tries again.
		if _, dbErr := a.DB.Exec(ctx, `UPDATE ss12000_subscriptions SET failing_since = coalesce(failing_since, now()) WHERE id = $1`,
			req.Subscription); dbErr != nil {
			return Delivered{}, dbErr
		}
		return Delivered{}, err
	}
	if _, err := a.DB.Exec(ctx, `DELETE FROM ss12000_pending WHERE subscription_id = $1 AND seq = ANY ($2)`, req.Subscription, seqs); err != nil {
		return Delivered{}, err
	}
	if _, err := a.DB.Exec(ctx, `UPDATE ss12000_subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
		req.Subscription); err != nil {
		return Delivered{}, err
	}
	return Delivered{Told: len(changes)}, nil
}

// post sends a notification to target; an answer other than 2xx, or none, is an error.
func (a *Activities) post(ctx context.Context, target, id string, n Notification) error {
	if problem := targetProblem(target, a.Hosts); problem != "" {
		// The operator no longer allows it: tried again, in case they allow it once more.
		return temporal.NewApplicationError("the subscription's target "+problem, "target-refused")
	}
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(NotificationIDHeader, id)
	client := a.HTTP
	if client == nil {
		client = receivers
	}
	res, err := client.Do(req)
	if err != nil {
		return temporal.NewApplicationError("the receiver did not answer", "unreachable")
	}
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return temporal.NewApplicationError(fmt.Sprintf("the receiver answered %d", res.StatusCode), "refused")
	}
	return nil
}

// receivers is the HTTP client of the deliveries: a receiver that does not answer in 10 s has
// not taken the notification, and a redirect is not followed (it could lead anywhere).
var receivers = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}
