// Package register is the school register: who is who, where, and with what right. It keeps
// SS 12000 v2.1 names and code lists, so that an SS 12000 API is a view of it, not a translation.
package register

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// CivicNoKind says which kind of Swedish identity number a civicNo is.
type CivicNoKind string

const (
	Personnummer      CivicNoKind = "personnummer"      // folkbokförd: YYYYMMDDNNNC, Luhn check digit
	Samordningsnummer CivicNoKind = "samordningsnummer" // not folkbokförd: day + 60, Luhn check digit
	TemporaryNumber   CivicNoKind = "temporary"         // a school's own interim number: letters in the last four
)

// ParseCivicNo checks a 12-character civic number (YYYYMMDDNNNC, a hyphen before the last four
// is allowed) and returns it without the hyphen, with its kind. The error says what is wrong in
// words a registrar can act on, and never repeats the number.
func ParseCivicNo(s string) (string, CivicNoKind, error) {
	s = strings.TrimSpace(s)
	if len(s) == 13 && s[8] == '-' {
		s = s[:8] + s[9:]
	}
	if len(s) != 12 {
		return "", "", fmt.Errorf("must have 12 characters, YYYYMMDDNNNN")
	}
	for _, r := range s[:8] {
		if r < '0' || r > '9' {
			return "", "", fmt.Errorf("must start with a date of birth, YYYYMMDD")
		}
	}
	kind := Personnummer
	day := atoi(s[6:8])
	if day > 60 {
		kind, day = Samordningsnummer, day-60
	}
	birth, err := time.Parse("20060102", fmt.Sprintf("%s%02d", s[:6], day))
	if err != nil {
		return "", "", fmt.Errorf("does not start with a valid date of birth")
	}
	if birth.Year() < 1890 || birth.After(time.Now()) {
		return "", "", fmt.Errorf("has a date of birth out of range")
	}

	last := strings.ToUpper(s[8:])
	hasLetter := false
	for _, r := range last {
		switch {
		case unicode.IsDigit(r):
		case r >= 'A' && r <= 'Z':
			hasLetter = true
		default:
			return "", "", fmt.Errorf("must end with four digits or letters")
		}
	}
	if hasLetter {
		return s[:8] + last, TemporaryNumber, nil
	}
	if !luhn(s[2:]) {
		return "", "", fmt.Errorf("has a wrong check digit")
	}
	return s, kind, nil
}

// luhn checks the Luhn (mod 10) check digit over the ten digits YYMMDDNNNC.
func luhn(digits string) bool {
	sum := 0
	for i, r := range digits {
		d := int(r - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
