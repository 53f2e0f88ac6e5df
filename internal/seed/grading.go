package seed

import (
	"bytes"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/register"
)

// Grading: the syllabuses the classes read (Skolverket's subjects in grundskola, courses in the
// gymnasium), an activity for each teaching group and syllabus, taught by the group's teacher,
// and, for the classes that get grades (years 6-9 of grundskola and the gymnasium), a grading
// period of the current term at each school unit with a whole term of grades: final and
// signed, the catalogues not yet signed off and the grades not yet published. At city scale
// that is about 900 000 grades (years 6-9: 17 subjects; the gymnasium: 5 courses a term).
//
// Each of a class's five teachers teaches a bundle of subjects in their teaching group: the
// teacher of NO teaches biology, physics, chemistry and physical education, say. A teacher
// certified in a bundle's subject (SV, MA, EN, NO, SO) is certified in the bundle's other
// subjects too; an uncertified teacher's grades are co-signed by a certified colleague, the one
// the grading period's process would ask (Store.Plan: the school's first by id).

// Syllabus is a row of syllabuses.
type Syllabus struct {
	ID                     uuid.UUID
	SchoolType             string
	SubjectCode, Subject   string
	CourseCode, CourseName string // "" for a subject grade
	Points                 int    // 0 for none
}

// Activity is a row of activities, with its one group (activity_groups) and teacher
// (activity_teachers), and, when graded, how its grades were set.
type Activity struct {
	ID, Org     uuid.UUID
	Name        string
	Syllabus    *uuid.UUID // nil for förskoleklass
	Graded      bool
	Start, End  time.Time
	Group, Duty uuid.UUID // the teaching group and the teacher's duty
	// Of a graded activity: the period, the subject, the grading teacher, the co-signer (the
	// zero UUID for a teacher certified in the subject) and when the grades were set and signed.
	Period, Teacher, CoSigner uuid.UUID
	Subject                   string
	SetAt, SignedAt           time.Time
}

// GradingPeriod is a row of grading_periods: a school unit's period of the current term.
type GradingPeriod struct {
	ID, School, Term, OpenedBy                        uuid.UUID
	ProcessID                                         string
	EntryOpens, TeacherDeadline, SignOff, Publication time.Time
	OpenedAt                                          time.Time
	Semester                                          string
	Year                                              int
}

// Grade is a row of grades: a pupil's grade in a graded activity (r.Activities[Activity]), the
// rest of its row the activity's.
type Grade struct {
	ID, Student uuid.UUID
	Activity    int32
	Value       string
}

// Every year of grundskola reads the bundles of its five teaching groups; years 6-9 are graded
// in each subject of them. Förskoleklass has activities without a syllabus.
var grBundles = map[string][]string{
	"SV": {"SV", "BL", "MU"},
	"MA": {"MA", "TK", "SL"},
	"EN": {"EN", "M2", "HKK"},
	"NO": {"BI", "FY", "KE", "IDH"},
	"SO": {"GE", "HI", "RE", "SH"},
}

var grSubjectNames = map[string]string{
	"SV": "Svenska", "MA": "Matematik", "EN": "Engelska", "NO": "Naturorienterande ämnen", "SO": "Samhällsorienterande ämnen",
	"BL": "Bild", "MU": "Musik", "TK": "Teknik", "SL": "Slöjd", "M2": "Moderna språk", "HKK": "Hem- och konsumentkunskap",
	"BI": "Biologi", "FY": "Fysik", "KE": "Kemi", "IDH": "Idrott och hälsa", "GE": "Geografi", "HI": "Historia",
	"RE": "Religionskunskap", "SH": "Samhällskunskap",
}

// gyCourses are the course a gymnasium class reads in each subject, by its year (1-3).
var gyCourses = map[string][3][2]string{
	"SVE": {{"SVESVE01", "Svenska 1"}, {"SVESVE02", "Svenska 2"}, {"SVESVE03", "Svenska 3"}},
	"MAT": {{"MATMAT01c", "Matematik 1c"}, {"MATMAT02c", "Matematik 2c"}, {"MATMAT03c", "Matematik 3c"}},
	"ENG": {{"ENGENG05", "Engelska 5"}, {"ENGENG06", "Engelska 6"}, {"ENGENG07", "Engelska 7"}},
	"SAM": {{"SAMSAM01b", "Samhällskunskap 1b"}, {"SAMSAM02", "Samhällskunskap 2"}, {"SAMSAM03", "Samhällskunskap 3"}},
	"IDR": {{"IDRIDR01", "Idrott och hälsa 1"}, {"IDRIDR02", "Idrott och hälsa 2"}, {"IDRIDR01S", "Idrott och hälsa 1 - specialisering"}},
}

var gySubjectNames = map[string]string{"SVE": "Svenska", "MAT": "Matematik", "ENG": "Engelska", "SAM": "Samhällskunskap",
	"IDR": "Idrott och hälsa"}

// gradeShares are how often each grade is given, in per mille, best first; the dash (no basis
// because of absence) last.
var gradeShares = []struct {
	value  string
	permil int
}{{"A", 120}, {"B", 150}, {"C", 250}, {"D", 180}, {"E", 200}, {"F", 80}, {"-", 20}}

// graded tells whether a class of year (0 förskoleklass ... 12) gets grades.
func graded(year int) bool { return year >= 6 }

// syllabuses adds every syllabus: grundskola's subjects and the gymnasium's courses, in a fixed
// order; it answers their indexes in g.reg.Syllabuses by key (GR:BI, GY:SVESVE01).
func (g *generator) syllabuses() map[string]int {
	at := map[string]int{}
	add := func(s Syllabus, key string) {
		s.ID = id("syllabus", key)
		at[key] = len(g.reg.Syllabuses)
		g.reg.Syllabuses = append(g.reg.Syllabuses, s)
	}
	for _, head := range grSubjects {
		codes := grBundles[head]
		if codes[0] != head {
			codes = append([]string{head}, codes...) // NO and SO are read, and graded only as their subjects
		}
		for _, code := range codes {
			add(Syllabus{SchoolType: "GR", SubjectCode: code, Subject: grSubjectNames[code]}, "GR:"+code)
		}
	}
	for _, subject := range gySubjects {
		for _, c := range gyCourses[subject] {
			add(Syllabus{SchoolType: "GY", SubjectCode: subject, Subject: gySubjectNames[subject], CourseCode: c[0], CourseName: c[1], Points: 100},
				"GY:"+c[0])
		}
	}
	return at
}

// term is the term the seeded week is in: the autumn's (HT) until the spring term starts.
func (c calendar) term() (name string, start, end time.Time) {
	if c.monday.Before(c.springStart) {
		return "HT" + strconv.Itoa(c.year), c.start, c.autumnEnd
	}
	return "VT" + strconv.Itoa(c.year+1), c.springStart, c.end
}

// at is a time of day (Europe/Stockholm) days after the seeded week's Monday.
func (c calendar) at(days, hour int) time.Time {
	return time.Date(c.monday.Year(), c.monday.Month(), c.monday.Day()+days, hour, 0, 0, 0, register.SchoolDay)
}

// grading adds the syllabuses, every class's activities, and for the graded classes the
// periods and the term's grades.
func (g *generator) grading(schools []*unit, teachers map[*unit][subjectsPerClass][]employee) {
	syllabus := g.syllabuses()
	termName, termStart, termEnd := g.cal.term()
	termID := id("term", termName)
	semester := grading.Semester(int(termStart.Month()))

	// Certifications: a bundle's head subject covers its other subjects.
	certified := map[uuid.UUID]map[string]bool{}
	for _, c := range g.reg.Certifications {
		if certified[c.Person] == nil {
			certified[c.Person] = map[string]bool{}
		}
		certified[c.Person][c.Subject] = true
	}
	for _, c := range g.reg.Certifications { // evaluated once: what is appended is not visited

		for _, code := range grBundles[c.Subject] {
			if code != c.Subject && !certified[c.Person][code] {
				certified[c.Person][code] = true
				g.reg.Certifications = append(g.reg.Certifications, Certification{Person: c.Person, Subject: code})
			}
		}
	}
	principals := map[uuid.UUID]uuid.UUID{}
	for _, d := range g.reg.Duties {
		if d.Role == "Rektor" {
			principals[d.At] = d.Person
		}
	}

	r := stream("grades")
	for _, u := range schools {
		ts := teachers[u]
		// The school's co-signer in each subject: its first teacher certified in it, by id.
		cosigner := map[string]uuid.UUID{}
		for _, subject := range ts {
			for _, t := range subject {
				for code := range certified[t.person.ID] {
					if c, ok := cosigner[code]; !ok || bytes.Compare(t.person.ID[:], c[:]) < 0 {
						cosigner[code] = t.person.ID
					}
				}
			}
		}
		var period *GradingPeriod
		for c, cl := range u.classes {
			block := c / classesPerTeacher
			for s, subject := range u.kind.subjects {
				t := ts[s][block]
				group := id("group", cl.key+":"+subject)
				a := Activity{Org: u.ID, Group: group, Duty: t.duty.ID, Start: termStart, End: termEnd}
				var codes []string
				switch {
				case cl.year == 0: // förskoleklass: no syllabus
					a.ID, a.Name = id("activity", cl.key+":"+subject), cl.Name+" "+subject
					g.reg.Activities = append(g.reg.Activities, a)
					continue
				case cl.year >= 10:
					c := gyCourses[subject][cl.year-10]
					codes = []string{"GY:" + c[0]}
				case graded(cl.year):
					for _, code := range grBundles[subject] {
						codes = append(codes, "GR:"+code)
					}
				default:
					codes = []string{"GR:" + subject}
				}
				for _, key := range codes {
					sy := &g.reg.Syllabuses[syllabus[key]]
					b := a
					b.ID = id("activity", cl.key+":"+key)
					b.Syllabus = &sy.ID
					b.Name = cl.Name + " " + sy.Subject
					if sy.CourseName != "" {
						b.Name = cl.Name + " " + sy.CourseName
					}
					if graded(cl.year) {
						if period == nil {
							period = g.period(u, termID, principals[u.ID], semester, termStart.Year())
						}
						b.Graded, b.Period, b.Teacher, b.Subject = true, period.ID, t.person.ID, sy.SubjectCode
						// Set in the days before the teachers' deadline; co-signed the day after.
						b.SetAt = period.TeacherDeadline.Add(-time.Duration(1+len(g.reg.Activities)%96) * time.Hour)
						b.SignedAt = b.SetAt
						if !certified[t.person.ID][sy.SubjectCode] {
							b.CoSigner = cosigner[sy.SubjectCode]
							if b.CoSigner == (uuid.UUID{}) {
								b.CoSigner = g.anyCertified(certified, sy.SubjectCode)
							}
							b.SignedAt = b.SetAt.Add(24 * time.Hour)
						}
						ai := int32(len(g.reg.Activities))
						for _, p := range cl.pupils {
							g.reg.Grades = append(g.reg.Grades, Grade{ID: id("grade", b.ID.String()+":"+p.pupil.Key), Student: p.pupil.ID,
								Activity: ai, Value: gradeValue(r.IntN(1000))})
						}
					}
					g.reg.Activities = append(g.reg.Activities, b)
				}
			}
		}
	}
}

// period adds the school unit's grading period of the term: opened four weeks before the seeded
// week, grades entered from three weeks before, the teachers' deadline the Thursday before; the
// sign-off on the week's Friday and publication the Monday after, 17:00.
func (g *generator) period(u *unit, term, principal uuid.UUID, semester string, year int) *GradingPeriod {
	c := g.cal
	p := GradingPeriod{ID: uuid.MustParse(grading.PeriodID(u.ID.String(), term.String())),
		ProcessID: grading.ProcessID(u.ID.String(), term.String()), School: u.ID, Term: term, OpenedBy: principal,
		OpenedAt: c.at(-28, 9), EntryOpens: c.at(-21, 8), TeacherDeadline: c.at(-4, 16), SignOff: c.at(4, 12),
		Publication: c.at(7, 17), Semester: semester, Year: year}
	g.reg.GradingPeriods = append(g.reg.GradingPeriods, p)
	return &g.reg.GradingPeriods[len(g.reg.GradingPeriods)-1]
}

// anyCertified is the first teacher of the organiser, by id, certified in subject: the one a
// principal whose school has none names to co-sign.
func (g *generator) anyCertified(certified map[uuid.UUID]map[string]bool, subject string) uuid.UUID {
	var best uuid.UUID
	for p, subjects := range certified {
		if subjects[subject] && (best == (uuid.UUID{}) || bytes.Compare(p[:], best[:]) < 0) {
			best = p
		}
	}
	return best
}

// gradeValue is the grade a draw of 0-999 gives, by gradeShares.
func gradeValue(draw int) string {
	for _, s := range gradeShares {
		if draw < s.permil {
			return s.value
		}
		draw -= s.permil
	}
	return "-"
}

// gradingTables are the grading rows' COPYs, loaded after the register's.
func (r *Register) gradingTables() []table {
	periods := map[uuid.UUID]*GradingPeriod{}
	for i := range r.GradingPeriods {
		periods[r.GradingPeriods[i].ID] = &r.GradingPeriods[i]
	}
	return []table{
		{"syllabuses", []string{"id", "school_type", "subject_code", "subject_name", "course_code", "course_name", "points"},
			len(r.Syllabuses), func(i int) []any {
				s := r.Syllabuses[i]
				var points any
				if s.Points > 0 {
					points = s.Points
				}
				return []any{pg(s.ID), s.SchoolType, s.SubjectCode, s.Subject, null(s.CourseCode), null(s.CourseName), points}
			}},
		{"activities", []string{"id", "display_name", "organisation_id", "syllabus_id", "graded", "start_date", "end_date"},
			len(r.Activities), func(i int) []any {
				a := &r.Activities[i]
				return []any{pg(a.ID), a.Name, pg(a.Org), pgRef(a.Syllabus), a.Graded, a.Start, a.End}
			}},
		{"activity_groups", []string{"activity_id", "group_id"}, len(r.Activities), func(i int) []any {
			a := &r.Activities[i]
			return []any{pg(a.ID), pg(a.Group)}
		}},
		{"activity_teachers", []string{"activity_id", "duty_id"}, len(r.Activities), func(i int) []any {
			a := &r.Activities[i]
			return []any{pg(a.ID), pg(a.Duty)}
		}},
		{"grading_periods", []string{"id", "process_id", "school_unit_id", "term_id", "entry_opens", "teacher_deadline", "sign_off",
			"publication", "opened_by", "opened_at"}, len(r.GradingPeriods), func(i int) []any {
			p := r.GradingPeriods[i]
			return []any{pg(p.ID), p.ProcessID, pg(p.School), pg(p.Term), p.EntryOpens, p.TeacherDeadline, p.SignOff, p.Publication,
				pg(p.OpenedBy), p.OpenedAt}
		}},
		{"grades", []string{"id", "period_id", "student_id", "activity_id", "syllabus_id", "organisation_id", "grade_value",
			"grading_teacher", "registered_by", "co_signer", "decided_by", "set_at", "signed_at", "semester", "year"},
			len(r.Grades), func(i int) []any {
				gr := &r.Grades[i]
				a := &r.Activities[gr.Activity]
				p := periods[a.Period]
				var co pgtype.UUID
				if a.CoSigner != (uuid.UUID{}) {
					co = pg(a.CoSigner)
				}
				return []any{pg(gr.ID), pg(a.Period), pg(gr.Student), pg(a.ID), pgRef(a.Syllabus), pg(a.Org), gr.Value,
					pg(a.Teacher), pg(a.Teacher), co, "teacher", a.SetAt, a.SignedAt, p.Semester, p.Year}
			}},
	}
}
