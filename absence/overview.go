package absence

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// A school's day at a glance, for its principal: which registers were taken, how many absence
// notices went to the guardians, and the pupils none of whose guardians the day's notice has
// reached so far (the school must then try another way, skollagen 7 kap. 17 §). Figures and ids
// only: the pages name the people as the API lets the viewer see them.

// AbsenceOverview is a school's day.
type AbsenceOverview struct {
	Day     string           `json:"day"`
	Lessons []OverviewLesson `json:"lessons"`
	// RegistersTaken counts the day's lessons with a register; RegistersMissing those that have
	// started without one; LessonsToCome those that have not started.
	RegistersTaken   int `json:"registersTaken"`
	RegistersMissing int `json:"registersMissing"`
	LessonsToCome    int `json:"lessonsToCome"`
	// NoticesSent counts the notices of absence (first notices and follow-ups, not corrections)
	// the school's absence days sent the guardians on the day; PupilsNotified the pupils they
	// were about.
	NoticesSent    int          `json:"noticesSent"`
	PupilsNotified int          `json:"pupilsNotified"`
	NotReached     []NotReached `json:"notReached"`
}

// OverviewLesson is one of the day's lessons and its register.
type OverviewLesson struct {
	LessonID    string    `json:"lessonId" db:"lesson_id"`
	GroupName   string    `json:"groupName" db:"group_name"`
	SubjectCode *string   `json:"subjectCode" db:"subject_code"`
	TeacherID   string    `json:"teacherId" db:"teacher_id"`
	Start       time.Time `json:"start" db:"start_time"`
	End         time.Time `json:"end" db:"end_time"`
	Started     bool      `json:"started" db:"started"`
	Registered  bool      `json:"registered" db:"registered"`
	Absent      int       `json:"absent" db:"absent"`
	Late        int       `json:"late" db:"late"`
}

// NotReached is a pupil told of on the day none of whose custodial guardians the notice has
// reached yet: every channel they chose failed or is still being tried.
type NotReached struct {
	PupilID   string `json:"pupilId" db:"pupil_id"`
	ProcessID string `json:"processId" db:"process_id"`
}

// Overview answers school's day (YYYY-MM-DD, in the schools' time zone).
func (s Store) Overview(ctx context.Context, school, day string) (AbsenceOverview, error) {
	from, err := time.ParseInLocation(time.DateOnly, day, register.SchoolDay)
	if err != nil {
		return AbsenceOverview{}, err
	}
	to := from.AddDate(0, 0, 1)
	out := AbsenceOverview{Day: day}
	out.Lessons, err = collect.All[OverviewLesson](ctx, s.DB, `SELECT l.id::text AS lesson_id, g.display_name AS group_name,
		  l.subject_code, l.teacher_id::text AS teacher_id, l.start_time, l.end_time, l.start_time <= now() AS started,
		  EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id) AS registered,
		  (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id AND a.status = 'absent') AS absent,
		  (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id AND a.status = 'late') AS late
		FROM lessons l JOIN groups g ON g.id = l.group_id
		WHERE l.school_id = $1 AND l.start_time >= $2 AND l.start_time < $3
		ORDER BY l.start_time, g.display_name`, school, from, to)
	if err != nil {
		return AbsenceOverview{}, err
	}
	for _, l := range out.Lessons {
		switch {
		case l.Registered:
			out.RegistersTaken++
		case l.Started:
			out.RegistersMissing++
		default:
			out.LessonsToCome++
		}
	}
	// A notice is the school's when one of its lessons is; notices are what the process decided
	// to send, the notifications what went to each guardian, and a delivery each channel's fate.
	// A guardian who chose the app alone has the notice in the inbox, which reaches them.
	const notices = `FROM absence_notices n
		WHERE n.kind = 'notice' AND n.created_at >= $2 AND n.created_at < $3
		  AND EXISTS (SELECT 1 FROM lessons l WHERE l.id = ANY (n.lesson_ids) AND l.school_id = $1)`
	if err := s.DB.QueryRow(ctx, `SELECT count(*), count(DISTINCT n.student_id) `+notices, school, from, to).
		Scan(&out.NoticesSent, &out.PupilsNotified); err != nil {
		return AbsenceOverview{}, err
	}
	out.NotReached, err = collect.All[NotReached](ctx, s.DB, `SELECT DISTINCT ON (n.student_id) n.student_id::text AS pupil_id, n.process_id
		`+notices+`
		  AND NOT EXISTS (SELECT 1 FROM notifications m
		    WHERE m.process_id = n.process_id AND m.purpose IN ('absence.notice', 'absence.follow-up')
		      AND (EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = m.id AND d.state = 'sent')
		           OR NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = m.id)))
		ORDER BY n.student_id, n.created_at`, school, from, to)
	if err != nil {
		return AbsenceOverview{}, err
	}
	return out, nil
}

// overview answers a school's day: ?day=YYYY-MM-DD, today by default.
func (h handlers) overview(c *gin.Context) {
	const op = "absence.overview"
	day := c.Query("day")
	if day == "" {
		day = time.Now().In(register.SchoolDay).Format(time.DateOnly)
	}
	var bad api.Fields
	bad.Date("day", day)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	out, err := h.store.Overview(c, c.Param("schoolId"), day)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}
