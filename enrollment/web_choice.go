package enrollment

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The guardian's school choice page for a child (/children/:personId/school-choice): a form to
// apply in each open round the child has no application in, and each application with where it
// stands, every version and who agreed to it, the form that changes it while the round is open,
// and once the round is published the placement and why, each refusal's appeal route and form,
// the appeals, and the offer with its answer. The other guardian agrees on this page too. What
// the guardian may see, a guardian with protected identity never named, is what the API answers;
// a child the viewer may not see is the API's 404. The forms are sent by web_choice_send.go.

// choicePageData is what the page shows.
type choicePageData struct {
	PersonID string
	Notice   string       // what the form sent could not do (409), said at the top
	Apply    []choiceForm // one per open round the child has no application in
	Cards    []applicationCard
}

// choiceForm is the form that applies in a round (Kind "apply") or changes the application there
// ("change"): the schools ranked in five selects, the first required, and for a preschool round
// the day the place is wished from.
type choiceForm struct {
	Kind             string
	Round            OpenRound
	Action, CSRF     string // where the form posts, with the session's token
	Prefix           string // the inputs' ids begin with it: each form's ids are its own
	Slots            []choiceSlot
	Preschool        bool
	WishedStart      string // as typed
	WishedStartError string
}

// choiceSlot is one rank of a choiceForm: a select named choice<Rank>.
type choiceSlot struct {
	ID, Name string
	Rank     int
	Options  []schoolOption
	Error    string // what is wrong with the school chosen, "" when nothing
}

type schoolOption struct {
	ID, Name string
	Selected bool
}

// applicationCard is an application as the page shows it.
type applicationCard struct {
	Round     Round
	Status    string
	ProcessID string
	Counts    int // the version every guardian agreed to, which counts; 0 for none
	Newest    int
	Versions  []versionCard
	Change    *choiceForm // while the round is open
	Consent   bool        // the viewer is asked to agree to the newest version: the form is shown
	Placement *placementCard
	Appeals   []appealCard
	Offer     *offerCard
}

// versionCard is a version of an application: its schools, who wrote it and who answered it.
type versionCard struct {
	Version int
	Choices []ChoiceView
	By      string // as the viewer may know them; "" for a guardian not named to the viewer
	At      time.Time
	Answers []answerLine
}

// answerLine is a guardian's answer, to a version (agree, refuse) or to the offer (accept,
// decline).
type answerLine struct {
	Who    string // "" for a guardian not named to the viewer
	Answer string
	At     time.Time
}

// placementCard is where the round placed the child, and each refusal above it.
type placementCard struct {
	PlacementView
	Refusals []refusalCard
}

// refusalCard is a choice the child was refused, why, how to appeal, and the appeal's form until
// it is lodged or its time has run out.
type refusalCard struct {
	RefusalView
	Body        string // the body that tries an appeal, in the page's words
	CanAppeal   bool
	ReasonID    string // the appeal form's reason input
	Reason      string // what was typed into it
	ReasonError string
}

// appealCard is a lodged appeal as the page shows it.
type appealCard struct {
	AppealView
	Body string
}

// offerCard is the offer of a place: where it stands, each answer, and the viewer's own answer
// form while their task is open.
type offerCard struct {
	OfferView
	Answers   []answerLine
	CanAnswer bool
	Due       time.Time // when the viewer's answer is due; zero when they have none to give
}

// sentForm is a form of the page sent back with what was wrong: which form (its Kind, round and,
// for an appeal, school), what was typed, and each wrong input's words by id.
type sentForm struct {
	Kind, Round, School string
	Values              url.Values
	Errors              map[string]string
}

func choicePage(c *web.Ctx) {
	title, d, err := loadChoicePage(c, nil)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "enrollment/choice", web.View{Title: title, Data: d})
}

// loadChoicePage asks the API for the child's applications, the child's guardians (to name those
// the viewer may know), the open rounds and the viewer's open tasks, and answers the page's title
// and data, with the form sent filled in as typed when there is one.
func loadChoicePage(c *web.Ctx, sent *sentForm) (string, choicePageData, error) {
	person := c.Param("personId")
	var apps []ApplicationView
	if err := c.Get(apiApplications(person), &apps); err != nil { // first: a child one may not see is the API's 404
		return "", choicePageData{}, err
	}
	var child register.PersonView
	if err := c.Get("/api/v1/persons/"+url.PathEscape(person), &child); err != nil {
		return "", choicePageData{}, err
	}
	var open []OpenRound
	if err := c.Get("/api/v1/enrollment-rounds", &open); err != nil {
		return "", choicePageData{}, err
	}
	var tasks []store.TaskView
	if err := c.Get("/api/v1/tasks?state=open", &tasks); err != nil {
		return "", choicePageData{}, err
	}
	names := map[string]string{}
	for _, r := range child.Responsibles {
		names[r.Person.ID] = strings.TrimSpace(r.Person.GivenName + " " + r.Person.FamilyName)
	}
	d := choicePageData{PersonID: person}
	for _, r := range toApply(open, child.Enrolments, apps) {
		d.Apply = append(d.Apply, newChoiceForm(c, "apply", r, nil, sent))
	}
	for _, a := range apps {
		d.Cards = append(d.Cards, applicationCardOf(c, a, open, tasks, names, sent))
	}
	title := c.T("enrollment.choice.title.unnamed")
	if name := strings.TrimSpace(child.GivenName + " " + child.FamilyName); name != "" {
		title = c.T("enrollment.choice.title", name)
	}
	return title, d, nil
}

// newChoiceForm is the form of kind in round r, its selects set to chosen, or to what was typed
// when it is the form sent, with what was wrong with it.
func newChoiceForm(c *web.Ctx, kind string, r OpenRound, chosen []string, sent *sentForm) choiceForm {
	f := choiceForm{Kind: kind, Round: r, Action: choicePath(c.Param("personId")), CSRF: c.Session.CSRF,
		Prefix: kind + "-" + r.ID, Preschool: kind == "apply" && r.SchoolType == "FS"}
	errors := map[string]string{}
	if sent != nil && sent.Kind == kind && sent.Round == r.ID {
		chosen = nil
		for rank := 1; rank <= MaxChoices; rank++ {
			chosen = append(chosen, sent.Values.Get(slotName(rank)))
		}
		f.WishedStart, errors = sent.Values.Get("wishedStart"), sent.Errors
	}
	f.WishedStartError = errors[f.Prefix+"-wishedStart"]
	for rank := 1; rank <= MaxChoices; rank++ {
		slot := choiceSlot{ID: f.Prefix + "-" + slotName(rank), Name: slotName(rank), Rank: rank}
		slot.Error = errors[slot.ID]
		for _, s := range r.Schools {
			slot.Options = append(slot.Options, schoolOption{ID: s.School, Name: s.Name,
				Selected: rank <= len(chosen) && chosen[rank-1] == s.School})
		}
		f.Slots = append(f.Slots, slot)
	}
	return f
}

func slotName(rank int) string { return "choice" + strconv.Itoa(rank) }

// applicationCardOf is application a as the page shows it to the viewer.
func applicationCardOf(c *web.Ctx, a ApplicationView, open []OpenRound, tasks []store.TaskView, names map[string]string, sent *sentForm) applicationCard {
	card := applicationCard{Round: a.Round, Status: a.Status, ProcessID: a.ProcessID, Newest: a.Version,
		Consent: findTask(tasks, KindConsent, a.ProcessID) != nil}
	if a.Agreed != nil {
		card.Counts = *a.Agreed
	}
	for _, v := range a.Versions {
		vc := versionCard{Version: v.Version, Choices: v.Choices, At: v.AppliedAt, By: nameOf(names, v.AppliedBy)}
		for _, k := range v.Consents {
			vc.Answers = append(vc.Answers, answerLine{Who: nameOf(names, k.Guardian), Answer: k.Answer, At: k.AnsweredAt})
		}
		card.Versions = append(card.Versions, vc)
	}
	if i := slices.IndexFunc(open, func(r OpenRound) bool { return r.ID == a.RoundID }); i >= 0 {
		var chosen []string
		if len(a.Versions) > 0 {
			for _, s := range a.Versions[0].Choices {
				chosen = append(chosen, s.School)
			}
		}
		f := newChoiceForm(c, "change", open[i], chosen, sent) // the wished start is given once, with the application
		card.Change = &f
	}
	if p := a.Placement; p != nil {
		pc := &placementCard{PlacementView: *p}
		today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
		for _, r := range p.Refusals {
			rc := refusalCard{RefusalView: r, Body: bodyName(c, r.AppealTo), ReasonID: "appeal-" + a.RoundID + "-" + r.School + "-reason"}
			lodged := slices.ContainsFunc(a.Appeals, func(x AppealView) bool { return x.School == r.School })
			rc.CanAppeal = !lodged && r.AppealBy != "" && today <= r.AppealBy
			if sent != nil && sent.Kind == "appeal" && sent.Round == a.RoundID && sent.School == r.School {
				rc.Reason, rc.ReasonError = sent.Values.Get("reason"), sent.Errors[rc.ReasonID]
			}
			pc.Refusals = append(pc.Refusals, rc)
		}
		card.Placement = pc
	}
	for _, x := range a.Appeals {
		card.Appeals = append(card.Appeals, appealCard{AppealView: x, Body: bodyName(c, x.AppealTo)})
	}
	if o := a.Offer; o != nil {
		oc := &offerCard{OfferView: *o}
		for _, x := range o.Answers {
			oc.Answers = append(oc.Answers, answerLine{Who: nameOf(names, x.Guardian), Answer: x.Answer, At: x.AnsweredAt})
		}
		if t := findTask(tasks, KindAnswer, o.ProcessID); t != nil {
			oc.CanAnswer = true
			if t.DueAt != nil {
				oc.Due = *t.DueAt
			}
		}
		card.Offer = oc
	}
	return card
}

// nameOf is how a guardian is named to the viewer: by name when the API names them and the
// register shows them to the viewer, else "" (the page then says "a guardian").
func nameOf(names map[string]string, id *string) string {
	if id == nil {
		return ""
	}
	return names[*id]
}

// bodyName is the body that tries an appeal, in the page's words.
func bodyName(c *web.Ctx, body string) string {
	switch body {
	case AppealCourt:
		return c.T("enrollment.body.court")
	case AppealBoard:
		return c.T("enrollment.body.board")
	}
	return body
}

// findTask is the viewer's open task of kind in process, nil when they have none.
func findTask(tasks []store.TaskView, kind, process string) *store.TaskView {
	for i, t := range tasks {
		if t.Kind == kind && t.ProcessID == process && t.State == "open" {
			return &tasks[i]
		}
	}
	return nil
}
