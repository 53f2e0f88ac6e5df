package api

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The /dev routes exist only in `skolflow dev`: the issuer's discovery document and keys, its
// sign-in page, token and sign-out endpoints (see dev_signin.go), the demo users, and a token for
// any of them. Tokens they mint are verified by the same path as an external issuer's.
func (m *DevMode) routes(r *gin.Engine, d Deps) {
	r.GET("/dev/oidc/.well-known/openid-configuration", func(c *gin.Context) { c.JSON(http.StatusOK, m.Issuer.Discovery()) })
	r.GET("/dev/oidc/jwks.json", func(c *gin.Context) { c.JSON(http.StatusOK, m.Issuer.JWKS()) })
	r.GET("/dev/oidc/authorize", func(c *gin.Context) { m.signInPage(c, d) })
	r.POST("/dev/oidc/authorize", func(c *gin.Context) { m.signIn(c, d) })
	r.POST("/dev/oidc/token", gin.WrapF(m.Issuer.ServeToken))
	r.GET("/dev/oidc/logout", m.signOut)
	r.GET("/dev/users", func(c *gin.Context) { m.users(c, d) })
	r.POST("/dev/token", func(c *gin.Context) { m.token(c, d) })
	if m.Mailbox != nil {
		r.GET("/dev/mail", gin.WrapH(m.Mailbox.PageHandler()))
		r.POST("/dev/sms", gin.WrapH(m.Mailbox.SMSHandler()))
	}
}

// DevUser is a demo user: the key to ask a token for, and what they are in the register.
type DevUser struct {
	User     string        `json:"user"`
	PersonID string        `json:"personId"`
	Roles    []DevUserRole `json:"roles"`
}

// DevUserRole is a duty role or a guardian relation, with where it holds.
type DevUserRole struct {
	Role   string `json:"role"`
	School string `json:"school"`
}

func (m *DevMode) users(c *gin.Context, d Deps) {
	users, err := m.demoUsers(c, d)
	if err != nil {
		Abort(c, errs.E("dev.users", err))
		return
	}
	c.JSON(http.StatusOK, users)
}

// demoUsers are the register's users under the demo domain with what they are, by key.
func (m *DevMode) demoUsers(ctx context.Context, d Deps) ([]DevUser, error) {
	roles, err := register.PrincipalRoles(ctx, d.DB, m.UserDomain)
	if err != nil {
		return nil, err
	}
	byUser := map[string]*DevUser{}
	for _, r := range roles {
		key := strings.TrimSuffix(r.PrincipalName, "@"+m.UserDomain)
		u := byUser[key]
		if u == nil {
			u = &DevUser{User: key, PersonID: r.PersonID}
			byUser[key] = u
		}
		u.Roles = append(u.Roles, DevUserRole{Role: r.Role, School: r.School})
	}
	users := make([]DevUser, 0, len(byUser))
	for _, u := range byUser {
		users = append(users, *u)
	}
	sort.Slice(users, func(i, j int) bool { return users[i].User < users[j].User })
	return users, nil
}

// DevTokenRequest asks for a token for a demo user.
type DevTokenRequest struct {
	User string `json:"user"`
}

// DevToken is a bearer token for the API.
type DevToken struct {
	AccessToken string    `json:"accessToken"`
	TokenType   string    `json:"tokenType"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

func (m *DevMode) token(c *gin.Context, d Deps) {
	const op = "dev.token"
	var in DevTokenRequest
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	subject := in.User + "@" + m.UserDomain
	_, exists, err := register.PersonByPrincipalName(c, d.DB, subject)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if !exists {
		Abort(c, invalid(op, errs.FieldError{Field: "user", Detail: "is not a demo user: GET /dev/users lists them"}))
		return
	}
	tok, exp, err := m.Issuer.Mint(subject)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, DevToken{AccessToken: tok, TokenType: "Bearer", ExpiresAt: exp})
}
