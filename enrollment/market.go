package enrollment

import (
	"errors"
	"fmt"
	"slices"
)

// Market is one placement round of one school year: the schools with their seats and the
// children with their guardians' choices.
type Market struct {
	Schools  []School
	Children []Child
}

// School is a school's seats in the round's year.
type School struct {
	ID       string
	Capacity int
}

// Child is a child and the schools its guardians chose, by ID, the most wished first. The city
// takes up to five; Match places by however many there are.
type Child struct {
	ID      string
	Choices []string
}

// Check answers what makes the market one Match cannot place, nil if nothing does: an empty or
// repeated ID, a negative capacity, a choice of a school not in the market, or a school chosen
// twice by one child.
func (m Market) Check() error {
	var problems []error
	schools := make(map[string]bool, len(m.Schools))
	for _, s := range m.Schools {
		switch {
		case s.ID == "":
			problems = append(problems, errors.New("a school has no ID"))
		case schools[s.ID]:
			problems = append(problems, fmt.Errorf("school %s is listed twice", s.ID))
		case s.Capacity < 0:
			problems = append(problems, fmt.Errorf("school %s has a negative capacity (%d)", s.ID, s.Capacity))
		}
		schools[s.ID] = true
	}
	children := make(map[string]bool, len(m.Children))
	for _, c := range m.Children {
		switch {
		case c.ID == "":
			problems = append(problems, errors.New("a child has no ID"))
		case children[c.ID]:
			problems = append(problems, fmt.Errorf("child %s is listed twice", c.ID))
		}
		children[c.ID] = true
		for i, s := range c.Choices {
			switch {
			case !schools[s]:
				problems = append(problems, fmt.Errorf("child %s chose %q, no school of the round", c.ID, s))
			case slices.Contains(c.Choices[:i], s):
				problems = append(problems, fmt.Errorf("child %s chose school %s twice", c.ID, s))
			}
		}
	}
	return errors.Join(problems...)
}
