package activities

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/temporal"

	"github.com/skolflow/skolflow/notify"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// EmailSender sends one email; notify.Mailer is the real one.
type EmailSender interface {
	Send(ctx context.Context, to, messageID string, msg notify.Message) error
}

// SMSSender sends one SMS; notify.SMSGateway is the real one.
type SMSSender interface {
	Send(ctx context.Context, to, key, text string) error
}

var notificationNamespace = uuid.MustParse("9b1d6a52-3c7e-4f0a-b8e4-51d2c6a7f903")

// Notify stores a notification in the recipient's language, as notify.Compose words it for them
// (the in-app text, and what may go by email and SMS), queues a delivery on each channel they
// chose, and records it in the process history. Idempotent: (process, recipient, purpose)
// names the notification, so a retry finds it, and it returns only the deliveries still queued.
func (a *Activities) Notify(ctx context.Context, req workflows.NotifyRequest) (workflows.Notification, error) {
	key := req.ProcessID + "|" + req.Recipient + "|" + req.Purpose + "|" + req.Occasion
	n := workflows.Notification{ID: uuid.NewSHA1(notificationNamespace, []byte(key)).String()}
	err := a.tx(ctx, func(tx pgx.Tx) error {
		language, channels := "sv", []string{}
		err := tx.QueryRow(ctx, `SELECT language, channels FROM contact_preferences WHERE person_id = $1`, req.Recipient).
			Scan(&language, &channels)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		params, pupil, err := resolve(ctx, tx, req.Recipient, req.Params)
		if err != nil {
			return err
		}
		params["publicURL"] = a.PublicURL
		inApp, outside, err := notify.Compose(req.Purpose, language, params, pupil)
		if err != nil {
			return temporal.NewNonRetryableApplicationError(err.Error(), "template", nil)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO notifications (id, idempotency_key, process_id, recipient_id, purpose, language,
				subject, body, external_subject, external_body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
			n.ID, key, req.ProcessID, req.Recipient, req.Purpose, language, inApp.Subject, inApp.Body, outside.Subject, outside.Body)
		if err != nil {
			return Permanent(err)
		}
		if tag.RowsAffected() == 1 {
			if len(channels) > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO deliveries (notification_id, channel) SELECT $1, unnest($2::text[])`, n.ID, channels); err != nil {
					return err
				}
			}
			if err := event(ctx, tx, req.ProcessID, "notify:"+n.ID, "notified", "", "",
				map[string]any{"recipient": req.Recipient, "purpose": req.Purpose, "channels": append([]string{"inapp"}, channels...)}); err != nil {
				return err
			}
			// Stored now: every channel is still to be delivered.
			n.Channels = slices.Sorted(slices.Values(channels))
			return nil
		}
		// Stored before (a retry): the channels not delivered yet.
		rows, err := tx.Query(ctx, `SELECT channel FROM deliveries WHERE notification_id = $1 AND state = 'queued' ORDER BY channel`, n.ID)
		if err != nil {
			return err
		}
		n.Channels, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return n, err
}

// Deliver sends a notification's email and SMS text on one channel and records that it went. A delivery already
// recorded as sent is not sent again. The Message-ID (email) and Idempotency-Key (SMS) are the
// same on every attempt, so a copy sent before a crash, but not recorded, is recognisable.
// Errors are worded without addresses; permanent refusals are not retried.
func (a *Activities) Deliver(ctx context.Context, d workflows.Delivery) error {
	var state, subject, body string
	var email, phone *string
	err := a.DB.QueryRow(ctx, `SELECT dl.state, n.external_subject, n.external_body, c.email, c.phone
		FROM deliveries dl JOIN notifications n ON n.id = dl.notification_id
		LEFT JOIN contact_preferences c ON c.person_id = n.recipient_id
		WHERE dl.notification_id = $1 AND dl.channel = $2`, d.NotificationID, d.Channel).Scan(&state, &subject, &body, &email, &phone)
	if err != nil {
		return err
	}
	if state == "sent" {
		return nil
	}
	if _, err := a.DB.Exec(ctx, `UPDATE deliveries SET attempts = attempts + 1 WHERE notification_id = $1 AND channel = $2`,
		d.NotificationID, d.Channel); err != nil {
		return err
	}
	key := d.NotificationID + "." + d.Channel
	msg := notify.Message{Subject: subject, Body: body}
	noAddress := temporal.NewNonRetryableApplicationError("no address on record for this channel", "no-address", nil)
	switch {
	case d.Channel == "email" && email == nil, d.Channel == "sms" && phone == nil:
		err = noAddress
	case d.Channel == "email" && a.Email != nil:
		err = a.Email.Send(ctx, *email, key+"@skolflow", msg)
	case d.Channel == "sms" && a.SMS != nil:
		err = a.SMS.Send(ctx, *phone, key, subject+"\n"+body)
	default:
		err = notify.ErrNotConfigured
	}
	if err != nil {
		err = deliveryError(d.Channel, err)
		var appErr *temporal.ApplicationError
		reason := err.Error()
		if errors.As(err, &appErr) {
			reason = appErr.Message()
		}
		a.DB.Exec(ctx, `UPDATE deliveries SET last_error = $3 WHERE notification_id = $1 AND channel = $2`,
			d.NotificationID, d.Channel, reason)
		return err
	}
	_, err = a.DB.Exec(ctx, `UPDATE deliveries SET state = 'sent', sent_at = now(), last_error = NULL
		WHERE notification_id = $1 AND channel = $2`, d.NotificationID, d.Channel)
	return err
}

// DeliveryFailed records that a delivery was given up on, and why.
func (a *Activities) DeliveryFailed(ctx context.Context, f workflows.DeliveryFailure) error {
	return a.tx(ctx, func(tx pgx.Tx) error {
		var process string
		err := tx.QueryRow(ctx, `UPDATE deliveries SET state = 'failed', last_error = $3
			FROM notifications n WHERE n.id = deliveries.notification_id AND deliveries.notification_id = $1 AND channel = $2
			  AND deliveries.state <> 'sent'
			RETURNING n.process_id`, f.NotificationID, f.Channel, f.Reason).Scan(&process)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // it went after all
		}
		if err != nil {
			return Permanent(err)
		}
		return event(ctx, tx, process, "delivery-failed:"+f.NotificationID+":"+f.Channel, "delivery-failed", "", "",
			map[string]any{"notification": f.NotificationID, "channel": f.Channel, "reason": f.Reason})
	})
}

// deliveryError words a sending error without the addresses a server may quote, and marks
// permanent refusals as not worth retrying.
func deliveryError(channel string, err error) error {
	var appErr *temporal.ApplicationError
	var smtpErr *textproto.Error
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &appErr):
		return err
	case errors.As(err, new(*notify.RefusedError)):
		return temporal.NewNonRetryableApplicationError(err.Error(), "refused", nil)
	case errors.Is(err, notify.ErrNotConfigured):
		return temporal.NewNonRetryableApplicationError("the platform has no "+channel+" channel configured", "not-configured", nil)
	case errors.As(err, &smtpErr) && smtpErr.Code >= 500:
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("the mail server refused the message (%d)", smtpErr.Code), "refused", nil)
	case errors.As(err, &smtpErr):
		return temporal.NewApplicationError(fmt.Sprintf("the mail server deferred the message (%d)", smtpErr.Code), "deferred")
	case errors.As(err, &opErr), errors.As(err, &netErr):
		return temporal.NewApplicationError("the "+channel+" server did not answer", "unreachable")
	default:
		return temporal.NewApplicationError("the "+channel+" server failed", "failed")
	}
}

// resolve fills in, from the register, what a message shows but a workflow must not carry: the
// lessons' local times for "lessons", the school unit's name for "school", and for "pupil" what the register tells the recipient of
// the pupil (given name, protection marking, whether the recipient is their custodial
// guardian), for notify.Compose to word the message by. The workflow's history keeps only ids.
func resolve(ctx context.Context, tx pgx.Tx, recipient string, params map[string]string) (map[string]string, *notify.Pupil, error) {
	out := make(map[string]string, len(params)+1)
	for k, v := range params {
		out[k] = v
	}
	var pupil *notify.Pupil
	if id := params["pupil"]; id != "" {
		var p notify.Pupil
		var marking string
		err := tx.QueryRow(ctx, `SELECT p.given_name, p.security_marking,
			  EXISTS (SELECT 1 FROM responsibles r WHERE r.person_id = p.id AND r.responsible_id = $2
			          AND `+register.HasCustody("r")+` AND `+register.Active("r")+`)
			FROM persons p WHERE p.id = $1`, id, recipient).Scan(&p.GivenName, &marking, &p.Custodian)
		if err != nil {
			return nil, nil, Permanent(err)
		}
		p.Protected = register.Protected(marking)
		pupil = &p
	}
	if school := params["school"]; school != "" {
		var name string
		if err := tx.QueryRow(ctx, `SELECT display_name FROM organisations WHERE id = $1`, school).Scan(&name); err != nil {
			return nil, nil, Permanent(err)
		}
		out["schoolName"] = name
	}
	if lessons := params["lessons"]; lessons != "" {
		var times string
		err := tx.QueryRow(ctx, `SELECT coalesce(string_agg(to_char(start_time AT TIME ZONE 'Europe/Stockholm', 'HH24:MI') || '–' ||
			to_char(end_time AT TIME ZONE 'Europe/Stockholm', 'HH24:MI'), ', ' ORDER BY start_time), '')
			FROM lessons WHERE id = ANY(string_to_array($1, ',')::uuid[])`, lessons).Scan(&times)
		if err != nil {
			return nil, nil, Permanent(err)
		}
		out["lessonTimes"] = times
	}
	return out, pupil, nil
}
