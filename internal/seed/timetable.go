package seed

import "strconv"

// The timetable. Each class reads subjectsPerClass subjects, each in a teaching group
// (Undervisning) of the class's pupils with a teacher of its own; the week's slots go round the
// subjects, class c reading subject (c + slot) mod subjectsPerClass in a slot. A teacher takes
// one subject in a block of classesPerTeacher consecutive classes of a school: consecutive
// classes read different subjects in every slot, so a teacher never has two lessons at once, and
// has classesPerTeacher * slots / subjectsPerClass lessons a week (18, a full teaching load).
// Each class's mentor is one of its teachers, a different one for each class of a block.
const (
	subjectsPerClass  = 5
	classesPerTeacher = 3 // at most subjectsPerClass, for the timetable to hold
)

// blocks is how many teachers of each subject a school of n classes needs.
func blocks(n int) int { return (n + classesPerTeacher - 1) / classesPerTeacher }

// timetable adds each school's teaching groups, their teachers, the classes' mentors, and the
// week's lessons.
func (g *generator) timetable(schools []*unit, teachers map[*unit][subjectsPerClass][]employee) {
	for _, u := range schools {
		ts := teachers[u]
		for c, cl := range u.classes {
			block := c / classesPerTeacher
			mentor := ts[c%subjectsPerClass][block]
			g.reg.Assignments = append(g.reg.Assignments, Assignment{Group: cl.ID, Duty: mentor.duty.ID, Role: "Mentor", Start: g.cal.start})
			var groups [subjectsPerClass]Group
			for s, subject := range u.kind.subjects {
				groups[s] = Group{ID: id("group", cl.key+":"+subject), Name: cl.Name + " " + subject, Type: "Undervisning",
					SchoolType: cl.SchoolType, Org: u.ID, Start: g.cal.start}
				g.reg.Groups = append(g.reg.Groups, groups[s])
				g.reg.Assignments = append(g.reg.Assignments, Assignment{Group: groups[s].ID, Duty: ts[s][block].duty.ID,
					Role: "Lärare", Start: g.cal.start})
				for _, p := range cl.pupils {
					g.reg.Memberships = append(g.reg.Memberships, Membership{Group: groups[s].ID, Person: p.pupil.ID, Start: g.cal.start})
				}
			}
			for slot := range slots {
				s := (c + slot) % subjectsPerClass
				start, end := g.cal.lesson(slot)
				g.reg.Lessons = append(g.reg.Lessons, Lesson{ID: id("lesson", cl.key+":"+strconv.Itoa(slot)), Group: groups[s].ID,
					School: u.ID, Teacher: ts[s][block].person.ID, Subject: u.kind.subjects[s], Start: start, End: end})
			}
		}
	}
}
