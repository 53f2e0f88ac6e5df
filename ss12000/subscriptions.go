package ss12000

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
)

// Subscriptions (the standard's /subscriptions): a client, granted subscriptions, asks to be
// told at its callback (target) when resources of the types it names change; it may name only
// types it is granted. A client sees and changes only its own subscriptions. A subscription
// lives SubscriptionLifetime; PATCH renews it. Its target must be an http or https URL whose
// host the operator allows (CallbackHosts), so that a subscription cannot make Skolflow call an
// internal address.

// Subscription is the standard's Subscription.
type Subscription struct {
	ID            string         `json:"id"`
	Expires       time.Time      `json:"expires"`
	Name          string         `json:"name"`
	Target        string         `json:"target"`
	ResourceTypes []resourceType `json:"resourceTypes"`
}

type resourceType struct {
	Resource string `json:"resource"`
}

// typeResource maps the standard's EndPointsEnum to the resource a client must be granted to
// subscribe to it: the types the register serves.
var typeResource = map[string]string{
	"Organisation": "organisations", "Person": "persons", "Placement": "placements", "Duty": "duties",
	"Group": "groups", "Syllabus": "syllabuses", "Activity": "activities", "CalendarEvent": "calendarEvents",
	"Attendance": "attendances", "Absence": "absences", "Grade": "grades", "AttendanceEvent": "attendanceEvents",
}

// targetProblem says what is wrong with a callback URL, or "": an absolute http or https URL,
// without credentials, whose host is one of hosts (a name, or *.domain for the names under it).
func targetProblem(target string, hosts []string) string {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" || len(target) > 2000 {
		return "must be an absolute http or https URL"
	}
	if u.User != nil {
		return "must carry no user name or password"
	}
	host := strings.ToLower(u.Hostname())
	for _, allowed := range hosts {
		allowed = strings.ToLower(allowed)
		if host == allowed || (strings.HasPrefix(allowed, "*.") && strings.HasSuffix(host, allowed[1:])) {
			return ""
		}
	}
	return "names a host the operator does not allow subscriptions to call"
}

type subscriptionRow struct {
	ID      string    `db:"id"`
	Expires time.Time `db:"expires"`
	Name    string    `db:"name"`
	Target  string    `db:"target"`
	Types   []string  `db:"resource_types"`
}

func (r subscriptionRow) view() Subscription {
	s := Subscription{ID: r.ID, Expires: r.Expires, Name: r.Name, Target: r.Target, ResourceTypes: []resourceType{}}
	for _, t := range r.Types {
		s.ResourceTypes = append(s.ResourceTypes, resourceType{t})
	}
	return s
}

const subscriptionColumns = `SELECT id::text, expires, name, target, resource_types FROM ss12000_subscriptions`

func (h handlers) createSubscription(c *gin.Context) {
	const op = "ss12000.subscriptions.create"
	var in struct {
		Name          string         `json:"name"`
		Target        string         `json:"target"`
		ResourceTypes []resourceType `json:"resourceTypes"`
	}
	if err := decode(c, &in); err != nil {
		api.Abort(c, err)
		return
	}
	var bad []errs.FieldError
	add := func(field, detail string) { bad = append(bad, errs.FieldError{Field: field, Detail: detail}) }
	if checkText(in.Name) != "" {
		add("name", "must be text of 1 to 200 characters")
	}
	if problem := targetProblem(in.Target, CallbackHosts.In(h.env.Config)); problem != "" {
		add("target", problem)
	}
	client := api.ClientOf(c)
	var types []string
	for _, t := range in.ResourceTypes {
		resource, ok := typeResource[t.Resource]
		if !ok {
			add("resourceTypes", "must each be a type the register serves: "+strings.Join(keys(typeResource), ", "))
			break
		}
		scope, err := h.env.Authz.ClientScope(client.Client, http.MethodGet, api.StandardPrefix+"/"+resource)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		if !scope.Allowed() {
			add("resourceTypes", t.Resource+" is not granted to the client")
			break
		}
		if !slices.Contains(types, t.Resource) {
			types = append(types, t.Resource)
		}
	}
	if len(in.ResourceTypes) == 0 {
		add("resourceTypes", "must name at least one type")
	}
	if len(bad) > 0 {
		api.Abort(c, invalid(bad...))
		return
	}
	row := subscriptionRow{ID: uuid.NewString(), Expires: time.Now().Add(SubscriptionLifetime.In(h.env.Config)).Truncate(time.Millisecond),
		Name: in.Name, Target: in.Target, Types: types}
	if _, err := h.db.Exec(c, `INSERT INTO ss12000_subscriptions (id, client_id, name, target, resource_types, expires)
		VALUES ($1, $2, $3, $4, $5, $6)`, row.ID, client.ID, row.Name, row.Target, row.Types, row.Expires); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.wake(c, row.ID, SignalChanged); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, row.view())
}

// own answers the client's subscription of the request's id; another's, or none, is not found.
func (h handlers) own(c *gin.Context) (subscriptionRow, error) {
	rows, err := h.db.Query(c, subscriptionColumns+` WHERE id = $1 AND client_id = $2`, c.Param("id"), api.ClientOf(c).ID)
	if err != nil {
		return subscriptionRow{}, err
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[subscriptionRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return row, errs.E(errs.NotFound, errs.Msg("There is no such subscription."))
	}
	return row, err
}

func (h handlers) getSubscription(c *gin.Context) {
	row, err := h.own(c)
	if err != nil {
		api.Abort(c, errs.E("ss12000.subscriptions.get", err))
		return
	}
	c.JSON(http.StatusOK, row.view())
}

// renewSubscription gives the subscription a new lifetime from now; its process goes on telling.
func (h handlers) renewSubscription(c *gin.Context) {
	const op = "ss12000.subscriptions.renew"
	row, err := h.own(c)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	row.Expires = time.Now().Add(SubscriptionLifetime.In(h.env.Config)).Truncate(time.Millisecond)
	if _, err := h.db.Exec(c, `UPDATE ss12000_subscriptions SET expires = $2 WHERE id = $1`, row.ID, row.Expires); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.wake(c, row.ID, SignalRenewed); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, row.view())
}

// deleteSubscription ends the subscription: what was pending for it goes, and its process ends.
func (h handlers) deleteSubscription(c *gin.Context) {
	const op = "ss12000.subscriptions.delete"
	row, err := h.own(c)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if _, err := h.db.Exec(c, `DELETE FROM ss12000_subscriptions WHERE id = $1`, row.ID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.wake(c, row.ID, SignalChanged); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.Status(http.StatusNoContent)
}

// listSubscriptions answers the client's subscriptions, a page at a time.
func (h handlers) listSubscriptions(c *gin.Context) {
	const op = "ss12000.subscriptions.list"
	q, err := parseList(c.Request.URL.Query(), subscriptions)
	if err != nil {
		api.Abort(c, err)
		return
	}
	after := ""
	if q.After != nil {
		after = q.After.ID
	}
	rows, err := h.db.Query(c, subscriptionColumns+` WHERE client_id = $1 AND ($2 = '' OR id > $2::uuid) ORDER BY id LIMIT $3`,
		api.ClientOf(c).ID, after, q.Limit+1)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[subscriptionRow])
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := struct {
		Data      []Subscription `json:"data"`
		PageToken string         `json:"pageToken,omitempty"`
	}{Data: []Subscription{}}
	for i, r := range found {
		if i == q.Limit {
			out.PageToken = cursor{Keys: []string{}, ID: found[i-1].ID}.token()
			break
		}
		out.Data = append(out.Data, r.view())
	}
	c.JSON(http.StatusOK, out)
}

// subscriptions is the list's parameters: paging only.
var subscriptions = &resource{name: "subscriptions"}

// wake signals a subscription's delivery process, starting it if it does not run.
func (h handlers) wake(ctx context.Context, subscription, signal string) error {
	_, err := h.env.Temporal.SignalWithStartWorkflow(ctx, DeliveryID(subscription), signal, nil,
		client.StartWorkflowOptions{ID: DeliveryID(subscription), TaskQueue: h.env.TaskQueue}, SubscriptionDelivery, deliveryInput(h.env, subscription))
	if err != nil {
		return errs.E(errs.Unavailable, errs.Msg("The subscription is saved, but its deliveries could not be started; try again."), err)
	}
	return nil
}

func deliveryInput(env area.Env, subscription string) DeliveryInput {
	return DeliveryInput{Subscription: subscription, Backoff: DeliveryBackoff.In(env.Config), Poll: DeliveryPoll.In(env.Config)}
}
