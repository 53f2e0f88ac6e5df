package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrNotConfigured is returned for a channel the platform has no way to send on.
var ErrNotConfigured = errors.New("channel not configured")

// SMSGateway is the HTTP interface Skolflow speaks to an SMS gateway: POST {to, text} as JSON
// with an Idempotency-Key header; any 2xx is accepted. A provider's own API sits behind a small
// adapter that speaks this.
type SMSGateway struct {
	URL    string
	Client *http.Client
}

// Send posts one SMS. key is stable for the delivery, so a gateway can drop a retried copy.
func (g SMSGateway) Send(ctx context.Context, to, key, text string) error {
	if g.URL == "" {
		return ErrNotConfigured
	}
	body, err := json.Marshal(map[string]string{"to": to, "text": text})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	client := g.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode/100 == 4 {
		return &RefusedError{Status: res.StatusCode}
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %d", res.StatusCode)
	}
	return nil
}

// RefusedError is a gateway's refusal of the message itself (4xx): retrying will not help.
type RefusedError struct{ Status int }

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the sms gateway refused the message (%d)", e.Status)
}
