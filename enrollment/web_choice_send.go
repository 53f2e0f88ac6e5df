package enrollment

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The school choice page's forms, each posted to the page with the field "form" naming it:
// apply in a round, change the application there, appeal a refusal, and the viewer's answer to
// the offer or their consent to the other guardian's choice. An answer completes the viewer's
// own open task of the child's process through the API, the task found here and not named by
// the form. A form the API finds wrong comes back with what was typed and each wrong field
// named (422: nothing was written); one it refuses as too late or done already comes back with
// a plain word of it (409).

func sendChoice(c *web.Ctx) {
	person, round := c.Param("personId"), strings.TrimSpace(c.PostForm("round"))
	sent := &sentForm{Kind: c.PostForm("form"), Round: round, Values: c.Request.PostForm, Errors: map[string]string{}}
	switch sent.Kind {
	case "apply", "change":
		sendVersion(c, person, sent)
	case "appeal":
		sent.School = strings.TrimSpace(c.PostForm("schoolId"))
		err := c.Send(http.MethodPost, apiApplications(person)+"/"+url.PathEscape(round)+"/appeals",
			AppealRequest{School: sent.School, Reason: strings.TrimSpace(c.PostForm("reason"))}, nil)
		settle(c, sent, err, "enrollment.appeal.sent", "enrollment.appeal.conflict", func(field string) (string, string) {
			if field == "reason" {
				return "appeal-" + round + "-" + sent.School + "-reason", c.T("enrollment.appeal.error.reason")
			}
			return "", ""
		})
	case "answer":
		// The offer shown: the round's own, or a later one (the waiting list's, an appeal's).
		offer := strings.TrimSpace(c.PostForm("offer"))
		if own := OfferID(person, round); offer != own && !strings.HasPrefix(offer, own+":") {
			offer = own
		}
		answer(c, sent, KindAnswer, offer, "answer", "enrollment.offer.answered")
	case "consent":
		answer(c, sent, KindConsent, ApplicationID(person, round), "consent", "enrollment.consent.answered")
	default:
		showSent(c, http.StatusUnprocessableEntity, sent, []web.FieldProblem{{Message: c.T("error.form")}}, "")
	}
}

// sendVersion sends an application or its change: the schools chosen, in the order of the
// selects, those left empty left out. The API names a wrong choice by its place among those
// sent (choices/1), which is turned back into the select it came from.
func sendVersion(c *web.Ctx, person string, sent *sentForm) {
	var choices []string
	var ranks []int // the select each choice came from
	for rank := 1; rank <= MaxChoices; rank++ {
		if s := strings.TrimSpace(c.PostForm(slotName(rank))); s != "" {
			choices, ranks = append(choices, s), append(ranks, rank)
		}
	}
	if choices == nil {
		choices = []string{} // none chosen: the API says the first is required
	}
	prefix := sent.Kind + "-" + sent.Round + "-"
	field := func(field string) (string, string) {
		switch {
		case field == "choices":
			return prefix + slotName(1), c.T("enrollment.choice.error.choices")
		case strings.HasPrefix(field, "choices/"):
			i, err := strconv.Atoi(strings.TrimPrefix(field, "choices/"))
			if err != nil || i < 0 || i >= len(ranks) {
				return prefix + slotName(1), c.T("enrollment.choice.error.choices")
			}
			return prefix + slotName(ranks[i]), c.T("enrollment.choice.error.choice", c.T("enrollment.choice.rank."+strconv.Itoa(ranks[i])))
		case field == "wishedStart":
			return prefix + "wishedStart", c.T("enrollment.choice.error.wishedStart")
		case field == "round":
			return prefix + slotName(1), c.T("enrollment.choice.error.round")
		}
		return "", ""
	}
	if sent.Kind == "apply" {
		err := c.Send(http.MethodPost, apiApplications(person), ApplicationRequest{Round: sent.Round, Choices: choices,
			WishedStart: strings.TrimSpace(c.PostForm("wishedStart"))}, nil)
		settle(c, sent, err, "enrollment.choice.sent", "enrollment.choice.conflict.apply", field)
		return
	}
	err := c.Send(http.MethodPut, apiApplications(person)+"/"+url.PathEscape(sent.Round), ApplicationRequest{Choices: choices}, nil)
	settle(c, sent, err, "enrollment.choice.changed", "enrollment.choice.conflict.change", field)
}

// answer completes the viewer's open task of kind in process with the form's value of field. No
// such task (answered meanwhile, withdrawn, or never theirs) is said as a conflict.
func answer(c *web.Ctx, sent *sentForm, kind, process, field, doneKey string) {
	var tasks []store.TaskView
	if err := c.Get("/api/v1/tasks?state=open&kind="+url.QueryEscape(kind), &tasks); err != nil {
		c.Fail(err)
		return
	}
	task := findTask(tasks, kind, process)
	if task == nil {
		showSent(c, http.StatusConflict, sent, nil, c.T("enrollment.task.conflict"))
		return
	}
	err := c.Send(http.MethodPost, "/api/v1/tasks/"+url.PathEscape(task.ID)+"/complete",
		map[string]any{"payload": map[string]any{field: c.PostForm(field)}}, nil)
	settle(c, sent, err, doneKey, "enrollment.task.conflict", func(string) (string, string) { return "", "" })
}

// settle ends a form's work: back to the page saying what was done, or the page again with what
// was wrong (field turns an API field into the input's id and words; "" for one the form has
// no input of), or with the conflict's words.
func settle(c *web.Ctx, sent *sentForm, err error, doneKey, conflictKey string, field func(string) (id, words string)) {
	if err == nil {
		c.Done(choicePath(c.Param("personId")), doneKey)
		return
	}
	if e, wrong := web.Wrong(err); wrong {
		var problems []web.FieldProblem
		for _, f := range e.Problem.Errors {
			id, words := field(f.Field)
			if id == "" {
				problems = append(problems, web.FieldProblem{Message: c.T("error.form")})
				continue
			}
			sent.Errors[id] = words
			problems = append(problems, web.FieldProblem{Field: id, Message: words})
		}
		if len(problems) == 0 {
			problems = []web.FieldProblem{{Message: c.T("error.form")}}
		}
		showSent(c, http.StatusUnprocessableEntity, sent, problems, "")
		return
	}
	if web.Conflict(err) {
		showSent(c, http.StatusConflict, sent, nil, c.T(conflictKey))
		return
	}
	c.Fail(err)
}

// showSent shows the page again with the form sent as typed, its problems and a notice.
func showSent(c *web.Ctx, status int, sent *sentForm, problems []web.FieldProblem, notice string) {
	title, d, err := loadChoicePage(c, sent)
	if err != nil {
		c.Fail(err)
		return
	}
	d.Notice = notice
	c.RenderView(status, "enrollment/choice", web.View{Title: title, Data: d, Errors: problems, Form: c.Request.PostForm})
}
