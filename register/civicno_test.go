package register

import "testing"

func TestParseCivicNo(t *testing.T) {
	cases := []struct {
		in   string
		want CivicNoKind // "" means invalid
		norm string
	}{
		{"201001012382", Personnummer, "201001012382"},
		{"20100101-2382", Personnummer, "201001012382"},
		{"201001012387", "", ""},                            // wrong check digit
		{"201001612389", Samordningsnummer, "201001612389"}, // day 01 + 60
		{"201001612384", "", ""},                            // samordningsnummer, wrong check digit
		{"20100101TF12", TemporaryNumber, "20100101TF12"},
		{"20100101tf12", TemporaryNumber, "20100101TF12"},
		{"201002302386", "", ""}, // 30 February
		{"20100101238", "", ""},  // too short
		{"2010010123821", "", ""},
		{"X01001012386", "", ""},
		{"20100101-23!6", "", ""},
		{"210001012380", "", ""}, // born in the future
	}
	for _, c := range cases {
		norm, kind, err := ParseCivicNo(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: accepted as %s, want rejected", c.in, kind)
			}
			continue
		}
		if err != nil || kind != c.want || norm != c.norm {
			t.Errorf("%s = %q %q %v, want %q %q", c.in, norm, kind, err, c.norm, c.want)
		}
	}
}
