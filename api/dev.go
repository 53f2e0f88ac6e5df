package api

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// The /dev routes exist only in `skolflow dev`: the issuer's discovery document and keys, the
// demo users, and a token for any of them. Tokens they mint are verified by the same path as an
// external issuer's.
func (m *DevMode) routes(r *gin.Engine, d Deps) {
	r.GET("/dev/oidc/.well-known/openid-configuration", func(c *gin.Context) { c.JSON(http.StatusOK, m.Issuer.Discovery()) })
	r.GET("/dev/oidc/jwks.json", func(c *gin.Context) { c.JSON(http.StatusOK, m.Issuer.JWKS()) })
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
	rows, err := d.DB.Query(c, `
		SELECT n.principal_name, n.person_id::text, x.role, x.school
		FROM person_principal_names n
		JOIN LATERAL (
		    SELECT d.duty_role AS role, o.display_name AS school
		    FROM duties d JOIN organisations o ON o.id = d.duty_at
		    WHERE d.person_id = n.person_id AND d.start_date <= current_date AND (d.end_date IS NULL OR d.end_date >= current_date)
		  UNION
		    SELECT r.relation_type, o.display_name
		    FROM responsibles r JOIN enrolments e ON e.person_id = r.person_id JOIN organisations o ON o.id = e.enroled_at
		    WHERE r.responsible_id = n.person_id
		  UNION
		    SELECT r.relation_type, o.display_name
		    FROM responsibles r JOIN placements p ON p.child_id = r.person_id JOIN organisations o ON o.id = p.placed_at
		    WHERE r.responsible_id = n.person_id
		) x ON true
		WHERE n.principal_name LIKE '%@' || $1
		ORDER BY 1, 3, 4`, m.UserDomain)
	if err != nil {
		Abort(c, errs.E("dev.users", err))
		return
	}
	byUser := map[string]*DevUser{}
	var name, person, role, school string
	_, err = pgx.ForEachRow(rows, []any{&name, &person, &role, &school}, func() error {
		key := strings.TrimSuffix(name, "@"+m.UserDomain)
		u := byUser[key]
		if u == nil {
			u = &DevUser{User: key, PersonID: person}
			byUser[key] = u
		}
		u.Roles = append(u.Roles, DevUserRole{Role: role, School: school})
		return nil
	})
	if err != nil {
		Abort(c, errs.E("dev.users", err))
		return
	}
	users := make([]DevUser, 0, len(byUser))
	for _, u := range byUser {
		users = append(users, *u)
	}
	sort.Slice(users, func(i, j int) bool { return users[i].User < users[j].User })
	c.JSON(http.StatusOK, users)
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
	if in.User == "" {
		bad.Add("user", "is required: one of the users GET /dev/users lists")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	subject := in.User + "@" + m.UserDomain
	var exists bool
	if err := d.DB.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM person_principal_names WHERE principal_name = $1)`, subject).Scan(&exists); err != nil {
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
