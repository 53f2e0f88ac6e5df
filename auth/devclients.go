package auth

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"time"
)

// clientCredentials answers a token request of a machine client (RFC 6749 §4.4): it
// authenticates with its client_id and client_secret, by HTTP Basic (§2.3.1) or in the form, and
// gets an access token for the API whose subject is its client_id. There is no refresh token:
// the client asks again.
func (d *DevIssuer) clientCredentials(w http.ResponseWriter, r *http.Request, form url.Values,
	answer func(int, any), refuse func(string, string)) {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if basicID, basicSecret, ok := r.BasicAuth(); ok {
		uid, err1 := url.QueryUnescape(basicID)
		usecret, err2 := url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil || id != "" || secret != "" {
			refuse("invalid_request", "the client authenticates once: by HTTP Basic or in the form")
			return
		}
		id, secret = uid, usecret
	}
	want, known := d.Clients[id]
	if id == "" || !known || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="skolflow dev"`)
		answer(http.StatusUnauthorized, tokenError{"invalid_client", "the client is unknown or its secret is wrong"})
		return
	}
	access, _, err := d.Mint(id)
	if err != nil {
		answer(http.StatusInternalServerError, tokenError{"server_error", ""})
		return
	}
	answer(http.StatusOK, TokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(d.TTL / time.Second)})
}
