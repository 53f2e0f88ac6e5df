package notify

// What a message may say, and to whom. The rule, in one place:
//
//   - A message names a pupil (by given name) only to the pupil's custodial guardians
//     (vårdnadshavare). Anyone else it goes to, a teacher with a task or a responsible adult
//     without custody, reads "en elev" / "a pupil".
//   - Nothing about a pupil with a protection marking (securityMarking Sekretessmarkering or
//     Skyddad folkbokföring) goes by email or SMS: those carry only the line that there is a
//     message in Skolflow (the message.waiting template), without name, dates, lesson times or
//     school. The message itself is in the in-app inbox, behind sign-in.
//   - A message about no pupil reads the same in the inbox, by email and by SMS.

// Pupil is the pupil a message is about, as the register tells it to the message's recipient.
type Pupil struct {
	GivenName string
	Protected bool // securityMarking is not Ingen
	Custodian bool // the recipient is the pupil's custodial guardian (vårdnadshavare) today
}

// waiting is the purpose of the line that stands in, by email and SMS, for a message that may
// not leave the app.
const waiting = "message.waiting"

// unnamed is how a message refers to a pupil it may not name, in each language.
var unnamed = map[string]string{"sv": "en elev", "en": "a pupil"}

// Compose renders purpose in language for one recipient: the message for the in-app inbox, and
// the one that goes by email and SMS. params are ids, dates (RFC 3339 times are shown in the
// schools' time zone) and codes; pupil is the pupil the message is about, nil for none. Only
// Compose fills in "pupilName".
func Compose(purpose, language string, params map[string]string, pupil *Pupil) (inApp, outside Message, err error) {
	language = supported(language)
	p := Localize(params)
	delete(p, "pupilName")
	if pupil != nil {
		p["pupilName"] = unnamed[language]
		if pupil.Custodian {
			p["pupilName"] = pupil.GivenName
		}
	}
	// A task's message is its kind's own where its area wrote one (<area>/templates/
	// task.assigned.<kind>.<language>.txt, and task.reminder.<kind> for the reminder): it says
	// what is asked, about whom and by when, not only that there is a task. A kind with no
	// reminder of its own is reminded with its assignment's message, "reminder" set.
	if kind := params["kind"]; purpose == "task.assigned" || purpose == "task.reminder" {
		switch {
		case hasTemplate(purpose+"."+kind, language):
			purpose += "." + kind
		case hasTemplate("task.assigned."+kind, language):
			if purpose == "task.reminder" {
				p["reminder"] = "yes"
			}
			purpose = "task.assigned." + kind
		}
	}
	if inApp, err = Render(purpose, language, p); err != nil {
		return Message{}, Message{}, err
	}
	if pupil == nil || !pupil.Protected {
		return inApp, inApp, nil
	}
	outside, err = Render(waiting, language, nil)
	return inApp, outside, err
}
