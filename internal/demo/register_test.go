package demo

import "testing"

// The id helpers follow the naming scheme register.json was made with.
func TestIDHelpersMatchTheRegister(t *testing.T) {
	d, err := Register()
	if err != nil {
		t.Fatal(err)
	}
	persons := map[string]bool{}
	for _, p := range d.Persons {
		persons[p.ID] = true
	}
	for _, key := range []string{"elev-1", "vh-1", "larare-a1", "rektor-a", "admin-huvudman", "vh-5"} {
		if !persons[PersonID(key)] {
			t.Errorf("PersonID(%q) is not in register.json", key)
		}
	}
	if d.Organisations[1].ID != OrgID("a") || d.Groups[0].ID != GroupID("7a") || d.Duties[0].ID != DutyID("rektor-a") {
		t.Error("OrgID, GroupID or DutyID do not match register.json")
	}
	if d.Activities[0].ID != ActivityID("ma7") || d.Syllabuses[0].ID != SyllabusID("gr-ma") {
		t.Error("ActivityID or SyllabusID do not match register.json")
	}
}
