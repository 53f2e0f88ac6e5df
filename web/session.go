package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
)

// Session is a person signed in to the web pages.
type Session struct {
	token     string // the cookie's value; only its hash is stored
	Subject   string `db:"subject"`
	GivenName string `db:"given_name"`
	// Roles are the person's kinds of work at sign-in (RoleGuardian, RoleTeacher, ...): they
	// choose the menus. What the person may see and do is decided by the API on every call.
	Roles     []string  `db:"roles"`
	Language  string    `db:"language"`
	CSRF      string    `db:"csrf_token"`
	SeenAt    time.Time `db:"seen_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// The roles a session's menus are chosen by.
const (
	RoleGuardian  = "guardian"
	RoleTeacher   = "teacher"
	RolePrincipal = "principal"
)

// Has tells whether the session's person has role.
func (s Session) Has(role string) bool {
	for _, r := range s.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// sessions keeps sessions and sign-ins under way in PostgreSQL, so that every API instance
// knows them and a restart signs no one out. Each instance keeps the sessions it has read for a
// while (cache.go), so that a page costs no query for its session; a change to a session
// (sign-out, language) is told to every instance at once (Watch).
type sessions struct {
	db        *pgxpool.Pool
	ttl, idle time.Duration
	cache     *sessionCache
}

// seenEvery is how stale seen_at may grow before a request writes it again: a page view costs
// no write most of the time, and the idle limit is kept to within this.
const seenEvery = time.Minute

// newToken is 256 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// create starts a session for s and answers its cookie token.
func (st sessions) create(ctx context.Context, s Session) (Session, error) {
	s.token, s.CSRF = newToken(), newToken()
	// Sessions that have ended go as new ones begin: the table holds no more than the live ones
	// and a day's worth of the ended.
	if _, err := st.db.Exec(ctx, `DELETE FROM web_sessions WHERE expires_at < now() - interval '1 day'`); err != nil {
		return Session{}, err
	}
	_, err := st.db.Exec(ctx, `INSERT INTO web_sessions (token_hash, subject, given_name, roles, language, csrf_token, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval)`,
		hash(s.token), s.Subject, s.GivenName, s.Roles, s.Language, s.CSRF, st.ttl.String())
	return s, err
}

// errNoSession is a cookie that names no live session: none, ended, or idle too long.
var errNoSession = errors.New("no session")

// find answers the live session of token, and marks it used.
func (st sessions) find(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errNoSession
	}
	key := hash(token)
	s, ok := st.cache.get(key)
	if !ok {
		var err error
		s, err = collect.One[Session](ctx, st.db, `SELECT subject, given_name, roles, language, csrf_token, seen_at, expires_at
			FROM web_sessions WHERE token_hash = $1`, key)
		if errs.KindOf(err) == errs.NotFound {
			return Session{}, errNoSession
		}
		if err != nil {
			return Session{}, err
		}
		st.cache.put(key, s)
	}
	now := time.Now()
	if !now.Before(s.ExpiresAt) || now.Sub(s.SeenAt) > st.idle {
		return Session{}, errNoSession
	}
	s.token = token
	if now.Sub(s.SeenAt) > seenEvery {
		if _, err := st.db.Exec(ctx, `UPDATE web_sessions SET seen_at = now() WHERE token_hash = $1`, key); err != nil {
			return Session{}, err
		}
		s.SeenAt = now
		st.cache.put(key, s)
	}
	return s, nil
}

// setLanguage changes the session's language, in every instance.
func (st sessions) setLanguage(ctx context.Context, s Session, lang string) error {
	_, err := st.db.Exec(ctx, `WITH changed AS (UPDATE web_sessions SET language = $2 WHERE token_hash = $1)
		SELECT pg_notify('`+sessionChannel+`', '')`, hash(s.token), lang)
	st.cache.forget(hash(s.token))
	return err
}

// end signs the session out, in every instance.
func (st sessions) end(ctx context.Context, token string) error {
	_, err := st.db.Exec(ctx, `WITH ended AS (DELETE FROM web_sessions WHERE token_hash = $1)
		SELECT pg_notify('`+sessionChannel+`', '')`, hash(token))
	st.cache.forget(hash(token))
	return err
}

// signin is a sign-in under way (see web_signins).
type signin struct {
	Verifier string `db:"verifier"`
	Nonce    string `db:"nonce"`
	ReturnTo string `db:"return_to"`
}

// signinTTL is how long a person has at the issuer to sign in.
const signinTTL = 10 * time.Minute

func (st sessions) beginSignin(ctx context.Context, state string, s signin) error {
	if _, err := st.db.Exec(ctx, `DELETE FROM web_signins WHERE expires_at < now()`); err != nil {
		return err
	}
	_, err := st.db.Exec(ctx, `INSERT INTO web_signins (state_hash, verifier, nonce, return_to, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, hash(state), s.Verifier, s.Nonce, s.ReturnTo, signinTTL.String())
	return err
}

// takeSignin answers the sign-in of state once; errNoSession if there is none (a stale or
// replayed answer from the issuer).
func (st sessions) takeSignin(ctx context.Context, state string) (signin, error) {
	s, err := collect.One[signin](ctx, st.db, `DELETE FROM web_signins WHERE state_hash = $1 AND expires_at > now()
		RETURNING verifier, nonce, return_to`, hash(state))
	if errs.KindOf(err) == errs.NotFound {
		return signin{}, errNoSession
	}
	return s, err
}
