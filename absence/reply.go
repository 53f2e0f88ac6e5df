package absence

import (
	"slices"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// A guardian's answer to an absence notice, and the mentor's classification of the absence: the
// guardian gives a reason (kept in PostgreSQL; the process holds only its id), the pupil's mentor
// gets a task to classify the absence as valid or invalid within TaskDue, the principal if the
// mentor does not act, and a valid classification moves the lessons' minutes to valid absence.

// UpdateAbsenceReply answers the day's notices with an AbsenceReply.
const UpdateAbsenceReply = "absence.reply"

var (
	// PupilContactsActivity answers the pupil's school and mentors.
	PupilContactsActivity = workflows.DeclareActivity[string, PupilContacts]("PupilContacts")
	// ClassifyAbsenceActivity records a mentor's classification in the pupil's attendance.
	ClassifyAbsenceActivity = workflows.DeclareActivity[AbsenceClassification, workflows.None]("ClassifyAbsence")
)

// AbsenceReply is a guardian's answer; the reason is stored under ReplyID.
type AbsenceReply struct {
	ReplyID string
	By      string
}

// AbsenceReplyAnswer tells the guardian what happens next: the mentor's task.
type AbsenceReplyAnswer struct {
	TaskID string `json:"taskId"`
}

// PupilContacts is who follows a pupil at school.
type PupilContacts struct {
	SchoolID string
	Mentors  []string
}

// AbsenceClassification is the mentor's decision about lessons of the day.
type AbsenceClassification struct {
	StudentID string
	LessonIDs []string
	Valid     bool
}

// sentReply is a reply the process has taken, or is taking: a reply sent again under the same
// ReplyID (the API retrying one whose answer was lost) gets the first one's answer, and opens
// no second task.
type sentReply struct {
	done   bool
	answer AbsenceReplyAnswer
	err    error
}

func (d *absenceDay) validateReply(ctx workflow.Context, r AbsenceReply) error {
	if _, again := d.replies[r.ReplyID]; again {
		return nil
	}
	if len(d.notifiedLessons()) == 0 {
		return temporal.NewApplicationError("there is no notice to answer", workflows.ErrTaskConflict)
	}
	// A notice is answered once: another guardian's reply, or a second one in other words, finds
	// it answered. A follow-up notice's lessons may be answered in turn.
	if len(d.unanswered()) == 0 {
		return temporal.NewApplicationError("the notice is answered already", workflows.ErrTaskConflict)
	}
	if r.ReplyID == "" || r.By == "" {
		return temporal.NewApplicationError("a reply needs its id and its guardian", workflows.ErrTaskInvalid)
	}
	return nil
}

// reply takes a guardian's reply once per ReplyID and answers with the mentor's task.
func (d *absenceDay) reply(ctx workflow.Context, r AbsenceReply) (AbsenceReplyAnswer, error) {
	if first, again := d.replies[r.ReplyID]; again {
		if err := workflow.Await(ctx, func() bool { return first.done }); err != nil {
			return AbsenceReplyAnswer{}, err
		}
		return first.answer, first.err
	}
	sent := &sentReply{}
	d.replies[r.ReplyID] = sent
	sent.answer, sent.err = d.takeReply(ctx, r)
	sent.done = true
	if sent.err != nil {
		delete(d.replies, r.ReplyID) // not taken: a later try starts afresh
	}
	return sent.answer, sent.err
}

// takeReply opens the mentor's task for a new reply; the classification is awaited beside the
// day.
func (d *absenceDay) takeReply(ctx workflow.Context, r AbsenceReply) (AbsenceReplyAnswer, error) {
	d.replied = true
	lessons := d.unanswered()
	for _, l := range lessons {
		d.answered[l] = true
	}
	id, err := d.openMentorTask(ctx, "classify:"+r.ReplyID, "absence.classify",
		workflows.Field{Name: "classification", Type: "choice", Choices: []string{"valid", "invalid"}, Required: true})
	if err != nil {
		return AbsenceReplyAnswer{}, err
	}
	d.classifying.Go(ctx, func(ctx workflow.Context) {
		out, err := d.tasks.Await(ctx, id)
		if err != nil {
			return
		}
		c := AbsenceClassification{StudentID: d.in.StudentID, LessonIDs: lessons, Valid: out.Payload["classification"] == "valid"}
		_, _ = ClassifyAbsenceActivity.Local(ctx, c)
	})
	return AbsenceReplyAnswer{TaskID: id}, nil
}

// openMentorTask gives the pupil's mentor a task of the day, the principal if the pupil has no
// mentor or the mentor does not act within TaskDue. It records the process first, so the task's
// people may read its history.
func (d *absenceDay) openMentorTask(ctx workflow.Context, step, kind string, expects ...workflows.Field) (string, error) {
	who, err := PupilContactsActivity.Local(ctx, d.in.StudentID)
	if err != nil {
		return "", err
	}
	process := workflows.Process{ID: workflow.GetInfo(ctx).WorkflowExecution.ID, Kind: "absence", SchoolID: who.SchoolID, SubjectPerson: d.in.StudentID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return "", err
	}
	principal := workflows.Assignee{Role: PrincipalRole, OrgID: who.SchoolID}
	mentor := principal
	if len(who.Mentors) > 0 {
		mentor = workflows.Assignee{PersonID: who.Mentors[0]}
	}
	return d.tasks.Open(ctx, workflows.TaskSpec{
		Step:             step,
		Kind:             kind,
		Assignee:         mentor,
		SchoolID:         who.SchoolID,
		SubjectPerson:    d.in.StudentID,
		Expects:          expects,
		Due:              d.in.TaskDue,
		EscalateTo:       []workflows.Assignee{principal},
		HeldBy:           []string{TeacherRole, PrincipalRole},
		DeliveryDeadline: d.in.DeliveryDeadline,
	})
}

// unanswered are the notified lessons that no reply taken covers, in the order they were told.
func (d *absenceDay) unanswered() []string {
	var out []string
	for _, l := range d.notifiedLessons() {
		if !d.answered[l] {
			out = append(out, l)
		}
	}
	return out
}

// notifiedLessons are the lessons the guardians have been told of and not had corrected, in the
// order they were told.
func (d *absenceDay) notifiedLessons() []string {
	var out []string
	for _, n := range d.state.Notices {
		for _, l := range n.LessonIDs {
			if d.lessons[l] == lessonNotified && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}
