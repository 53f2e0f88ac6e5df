package enrollment

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The area's HTTP handlers: bind, check what api/openapi.yaml cannot say, call the Store or the
// process, respond. Who may call each is decided before, by policy.csv.

type handlers struct {
	env   area.Env
	store Store
}

// MaxChoices is how many schools an application ranks at most.
const MaxChoices = 5

// RoundInput is a new placement round, as the organiser's officers open it.
type RoundInput struct {
	Name        string    `json:"name"`
	SchoolType  string    `json:"schoolType"`
	SchoolYear  int       `json:"schoolYear"`
	StartDate   string    `json:"startDate"`
	ClosesAt    time.Time `json:"closesAt"`
	PublishesAt time.Time `json:"publishesAt"`
}

// createRound opens a round of the organiser :schoolId.
func (h handlers) createRound(c *gin.Context) {
	const op = "enrollment.round"
	var in RoundInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	bad.Date("startDate", in.StartDate)
	bad.Moment("closesAt", in.ClosesAt)
	bad.Moment("publishesAt", in.PublishesAt)
	switch {
	case in.SchoolType == "GR" && in.SchoolYear == 0, in.SchoolType == "GRS" && in.SchoolYear == 0:
		bad.Add("schoolYear", "is required for a school year of grundskolan: 1 to 9")
	case (in.SchoolType == "FS" || in.SchoolType == "FKLASS") && in.SchoolYear != 0:
		bad.Add("schoolYear", "is 0 for förskola and förskoleklass, which have no years")
	}
	if !in.ClosesAt.After(time.Now()) {
		bad.Add("closesAt", "is in the past: a round closes after it opens")
	}
	if in.PublishesAt.Before(in.ClosesAt) {
		bad.Add("publishesAt", "is before closesAt: offers go out after the round closes")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	organiser := c.Param("schoolId")
	top, err := register.OrganiserOf(c, h.env.DB, organiser)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if top != organiser {
		api.Abort(c, errs.E(op, errs.NotFound, errs.Msg("Rounds are the organiser's (huvudman): there is no such organiser.")))
		return
	}
	r := Round{ID: uuid.NewString(), Organiser: organiser, Name: in.Name, SchoolType: in.SchoolType, SchoolYear: in.SchoolYear,
		StartDate: in.StartDate, ClosesAt: in.ClosesAt, PublishesAt: in.PublishesAt}
	out, err := h.store.CreateRound(c, r, api.ViewerOf(c).PersonID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	starts, _ := time.ParseInLocation(time.DateOnly, in.StartDate, register.SchoolDay) // checked above
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: PlacementID(organiser, r.ID), TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.DeleteRound(ctx, r.ID) },
		PlacementRound, PlacementInput{RoundID: r.ID, Organiser: organiser, ClosesAt: r.ClosesAt, PublishesAt: r.PublishesAt,
			SettleAfterClose: SettleAfterClose.In(cfg), ApproveDue: ApproveDue.In(cfg), OfferAnswerDue: OfferAnswerDue.In(cfg),
			DeliveryDeadline: cfg.DeliveryDeadline, WaitingListUntil: starts})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The round could not be started; nothing was saved. Send it again."), err))
		return
	}
	c.JSON(http.StatusCreated, out)
}

// rounds answers the rounds open to applications.
func (h handlers) rounds(c *gin.Context) {
	out, err := h.store.OpenRounds(c)
	if err != nil {
		api.Abort(c, errs.E("enrollment.rounds", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// organisersRounds answers the rounds of the organiser :schoolId, the last to close first.
func (h handlers) organisersRounds(c *gin.Context) {
	out, err := h.store.Rounds(c, c.Param("schoolId"))
	if err != nil {
		api.Abort(c, errs.E("enrollment.rounds", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// report answers a round of the organiser :schoolId as its officers follow it.
func (h handlers) report(c *gin.Context) {
	out, err := h.store.Report(c, c.Param("schoolId"), c.Param("round"))
	if err != nil {
		api.Abort(c, errs.E("enrollment.report", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// guarantees answers the organiser :schoolId's children near or past their preschool guarantee
// date (?within= days ahead, 30 by default).
func (h handlers) guarantees(c *gin.Context) {
	const op = "enrollment.guarantees"
	days := 30
	if w := c.Query("within"); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 || n > 366 {
			api.Abort(c, errs.E(op, errs.Invalid, errs.Msg("The request has invalid fields."),
				[]errs.FieldError{{Field: "within", Detail: "must be a whole number of days from 0 to 366"}}))
			return
		}
		days = n
	}
	out, err := h.store.Guarantees(c, c.Param("schoolId"), days)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// setCapacity records a school unit's seats in a school type and year.
func (h handlers) setCapacity(c *gin.Context) {
	const op = "enrollment.capacity"
	var in Capacity
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if (in.SchoolType == "FS" || in.SchoolType == "FKLASS") && in.SchoolYear != 0 {
		bad.Add("schoolYear", "is 0 for förskola and förskoleklass, which have no years")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	school := c.Param("schoolId")
	if err := h.store.SetCapacity(c, school, in, api.ViewerOf(c).PersonID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.capacities(c)
}

// capacities answers a school unit's seats.
func (h handlers) capacities(c *gin.Context) {
	out, err := h.store.Capacities(c, c.Param("schoolId"))
	if err != nil {
		api.Abort(c, errs.E("enrollment.capacities", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// ApplicationRequest is an application's version as a guardian writes it.
type ApplicationRequest struct {
	Round   string   `json:"round,omitempty"` // the round's id; on a change, the path names it
	Choices []string `json:"choices"`
	// WishedStart is the day the guardians wish a preschool place from (YYYY-MM-DD), for a
	// preschool round alone; it sets the guarantee date with the application's day.
	WishedStart string `json:"wishedStart,omitempty"`
}

// bindVersion binds and checks a version and reads its round: the choices are at most five,
// each school once.
func (h handlers) bindVersion(c *gin.Context, op, round string) (NewVersion, error) {
	var in ApplicationRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		return NewVersion{}, err
	}
	if round == "" {
		round = in.Round
	}
	// Ids in the register's form, so that one school written two ways is chosen twice.
	for i, s := range in.Choices {
		if u, err := uuid.Parse(s); err == nil {
			in.Choices[i] = u.String()
		}
	}
	if len(in.Choices) > MaxChoices {
		bad.Add("choices", fmt.Sprintf("has %d schools; an application ranks at most %d", len(in.Choices), MaxChoices))
	}
	for i, s := range in.Choices {
		if slices.Contains(in.Choices[:i], s) {
			bad.Add(fmt.Sprintf("choices/%d", i), "is chosen twice: rank each school once")
		}
	}
	if in.WishedStart != "" {
		bad.Date("wishedStart", in.WishedStart)
	}
	if err := bad.Err(op); err != nil {
		return NewVersion{}, err
	}
	r, err := h.store.Round(c, round)
	if err != nil {
		return NewVersion{}, err
	}
	switch {
	case r.SchoolType == "FS" && in.WishedStart == "" && c.Request.Method == http.MethodPost:
		bad.Add("wishedStart", "is required for a preschool application: the day you wish the place from")
	case r.SchoolType != "FS" && in.WishedStart != "":
		bad.Add("wishedStart", "is for a preschool application alone")
	}
	if err := bad.Err(op); err != nil {
		return NewVersion{}, err
	}
	return NewVersion{Round: r, ChildID: c.Param("personId"), By: api.ViewerOf(c).PersonID, Choices: in.Choices, WishedStart: in.WishedStart}, nil
}

// apply records a child's application and starts its process: if the process cannot start,
// nothing stays recorded.
func (h handlers) apply(c *gin.Context) {
	const op = "enrollment.apply"
	v, err := h.bindVersion(c, op, "")
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	v.ApplicationID = uuid.NewString()
	cfg := h.env.Config
	in := ApplicationInput{ApplicationID: v.ApplicationID, ChildID: v.ChildID, RoundID: v.Round.ID,
		Organiser: v.Round.Organiser, AppliedBy: v.By, ClosesAt: v.Round.ClosesAt, DeliveryDeadline: cfg.DeliveryDeadline}
	if v.WishedStart != "" {
		today, _ := time.ParseInLocation(time.DateOnly, time.Now().In(register.SchoolDay).Format(time.DateOnly), register.SchoolDay)
		wished, _ := time.ParseInLocation(time.DateOnly, v.WishedStart, register.SchoolDay) // checked by bindVersion
		v.GuaranteeDate = GuaranteeDate(today, wished)
		in.Guarantee = &GuaranteeInput{ChildID: v.ChildID, RoundID: v.Round.ID, Organiser: v.Round.Organiser, Date: v.GuaranteeDate,
			WarnBefore: GuaranteeWarnBefore.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline}
	}
	if err := h.store.Apply(c, v); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	id := ApplicationID(v.ChildID, v.Round.ID)
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: id, TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.Withdraw(ctx, v.ApplicationID) },
		Application, in)
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The application could not be started; nothing was saved. Send it again."), err))
		return
	}
	h.answer(c, v.ChildID, v.Round.ID, http.StatusCreated)
}

// change records the next version of a child's application in the round :round and hands it to
// its process, which asks the other guardians anew. A version the process refuses (the round
// closed meanwhile) is taken back.
func (h handlers) change(c *gin.Context) {
	const op = "enrollment.change"
	v, err := h.bindVersion(c, op, c.Param("round"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	application, version, err := h.store.Change(c, v)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var taken int
	if err := api.Update(c, h.env.Temporal, ApplicationID(v.ChildID, v.Round.ID), UpdateChange, Change{Version: version, By: v.By}, &taken); err != nil {
		// A version the process refused is taken back. One whose fate is unknown (the engine did
		// not answer) stays: if the process did not take it, it is never asked about, and the
		// guardian's next change, a newer version, is taken.
		if errs.KindOf(err) == errs.Conflict {
			if uerr := h.store.Unchange(context.WithoutCancel(c), application, version); uerr != nil {
				api.Logger(c).Error("a version its process refused is still recorded")
			}
		}
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, v.ChildID, v.Round.ID, http.StatusOK)
}

// get answers a child's application in the round :round.
func (h handlers) get(c *gin.Context) {
	h.answer(c, c.Param("personId"), c.Param("round"), http.StatusOK)
}

// answer answers the child's application in the round as the viewer may see it.
func (h handlers) answer(c *gin.Context, child, round string, status int) {
	out, err := h.view(c, child, round)
	if err != nil {
		api.Abort(c, errs.E("enrollment.application", err))
		return
	}
	c.JSON(status, out)
}

// list answers the child's applications, the newest round first.
func (h handlers) list(c *gin.Context) {
	const op = "enrollment.applications"
	child := c.Param("personId")
	rounds, err := h.store.RoundsApplied(c, child)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := make([]ApplicationView, 0, len(rounds))
	for _, round := range rounds {
		v, err := h.view(c, child, round)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		out = append(out, v)
	}
	c.JSON(http.StatusOK, out)
}

// view is the child's application in the round as the viewer may see it: its round, its
// versions, and once the viewer may know them its placement, offer and appeals. The child's
// guardians learn the placement when it is published; the officers while they review it.
func (h handlers) view(c *gin.Context, child, round string) (ApplicationView, error) {
	v := api.ViewerOf(c)
	out, err := h.store.Application(c, child, round, v.PersonID)
	if err != nil {
		return out, err
	}
	if out.Round, err = h.store.Round(c, round); err != nil {
		return out, err
	}
	if out.Placement, err = h.store.Explain(c, child, round, v.Relations["custodian"]); err != nil {
		return out, err
	}
	if out.Offer, err = h.store.Offer(c, child, round, v.PersonID); err != nil {
		return out, err
	}
	out.Appeals, err = h.store.Appeals(c, child, round)
	return out, err
}

// applicant answers a child's application in a round of the organiser :schoolId, as its
// officers see it: the child is found within the round, so a child who did not apply there is
// not found.
func (h handlers) applicant(c *gin.Context) {
	const op = "enrollment.applicant"
	r, err := h.store.Round(c, c.Param("round"))
	if err == nil && r.Organiser != c.Param("schoolId") {
		err = errs.E(errs.NotFound, errs.Msg("The organiser has no such round."))
	}
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, c.Param("child"), r.ID, http.StatusOK)
}

// AppealRequest is an appeal of a refusal as a guardian lodges it.
type AppealRequest struct {
	School string `json:"schoolId"`
	Reason string `json:"reason"`
}

// appeal lodges an appeal of the child's refusal at a school in the round :round and starts its
// reconsideration: if the process cannot start, nothing stays recorded.
func (h handlers) appeal(c *gin.Context) {
	const op = "enrollment.appeal"
	var in AppealRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	child, round := c.Param("personId"), c.Param("round")
	r, err := h.store.Round(c, round)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	a := NewAppeal{ID: uuid.NewString(), RoundID: round, ChildID: child, SchoolID: in.School, Reason: in.Reason, By: api.ViewerOf(c).PersonID}
	if _, err := h.store.Lodge(c, a); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: AppealID(a.ID), TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.Unlodge(ctx, a.ID) },
		Reconsider, AppealInput{AppealID: a.ID, ChildID: child, Organiser: r.Organiser, SchoolID: in.School,
			Due: ReconsiderDue.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline, OfferAnswerDue: OfferAnswerDue.In(cfg)})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The appeal could not be lodged; nothing was saved. Send it again."), err))
		return
	}
	h.answer(c, child, round, http.StatusCreated)
}
