package integration

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/documents"
	"github.com/skolflow/skolflow/internal/demo"
)

// investigation is the content of an investigation of the need for special support.
func investigation(need string) map[string]any {
	return map[string]any{"fields": map[string]string{"need": need, "participation": "Maja och hennes vårdnadshavare deltog vid ett möte."},
		"text": "Utredningen gjordes av speciallärare."}
}

// addDocument has author begin a document of kind about pupil, through the API, and answers it.
func addDocument(t *testing.T, s *stack, author, pupil string, body map[string]any) documents.Document {
	t.Helper()
	return expect[documents.Document](s.as(author), http.StatusCreated, "POST", "/api/v1/persons/"+pupil+"/documents", body)
}

// signedDocument is an investigation of elev-1 that larare-a1 drafted and signed (version 1).
func signedDocument(t *testing.T, s *stack) string {
	t.Helper()
	body := investigation("Läsförståelse")
	body["kind"] = "investigation"
	d := addDocument(t, s, "larare-a1", s.id("elev-1"), body)
	signVersion(t, s, "larare-a1", d.ID, "1")
	return d.ID
}

// signVersion has signer sign version n of the document, and answers the signed version.
func signVersion(t *testing.T, s *stack, signer, document, n string) documents.Version {
	t.Helper()
	return expect[documents.Version](s.as(signer), http.StatusOK, "POST", "/api/v1/documents/"+document+"/versions/"+n+"/sign", nil)
}

// A document is drafted, signed once, and never changed after: a change is a new version,
// signed again and chained to the one before by its hash. The pupil's guardians read only
// signed versions; a teacher of the pupil who is not on the document reads nothing of it.
func TestADocumentIsSignedOnceAndChained(t *testing.T) {
	s := newStack(t)
	maja := s.id("elev-1")
	body := investigation("Läsförståelse")
	body["kind"] = "investigation"
	d := addDocument(t, s, "larare-a1", maja, body)
	if d.Kind != "investigation" || d.Pupil != maja || d.SchoolUnit != demo.OrgID("a") || len(d.Versions) != 1 ||
		d.Versions[0].Signed || !slices.Equal(d.Staff, []string{s.id("larare-a1")}) {
		t.Fatalf("the new document: %+v", d)
	}
	doc := "/api/v1/documents/" + d.ID

	// Before a signature the guardians and other teachers see nothing of it.
	for _, user := range []string{"vh-1", "larare-a2", "rektor-b"} {
		if r := s.as(user).do("GET", doc, nil, nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s reading a draft: %d, want 404", user, r.StatusCode)
		}
	}
	for _, user := range []string{"vh-1", "larare-a2"} {
		if list := get[[]documents.Summary](s.as(user), "/api/v1/persons/"+maja+"/documents"); len(list) != 0 {
			t.Fatalf("%s's list of Maja's documents before a signature: %+v", user, list)
		}
	}

	edited := expect[documents.Document](s.as("larare-a1"), http.StatusOK, "PUT", doc+"/versions/1", investigation("Läsförståelse och skrivande"))
	if v := edited.Versions[0]; v.Fields["need"] != "Läsförståelse och skrivande" || v.Signed {
		t.Fatalf("the draft changed: %+v", v)
	}
	first := signVersion(t, s, "larare-a1", d.ID, "1")
	if !first.Signed || first.SHA256 == nil || first.Previous != nil || first.SignedBy == nil || *first.SignedBy != s.id("larare-a1") {
		t.Fatalf("version 1 signed: %+v", first)
	}

	// A signed version never changes, through the API or the application's database role.
	var p api.Problem
	if r := s.as("larare-a1").do("PUT", doc+"/versions/1", investigation("ändrad"), &p); r.StatusCode != http.StatusConflict ||
		!slices.Equal(fieldsOf(p), []string{"version"}) {
		t.Fatalf("changing a signed version: %d %+v, want 409 naming version", r.StatusCode, p)
	}
	if r := s.as("larare-a1").do("POST", doc+"/versions/1/sign", nil, &p); r.StatusCode != http.StatusConflict {
		t.Fatalf("signing a signed version again: %d, want 409", r.StatusCode)
	}
	ctx := context.Background()
	for _, stmt := range []string{
		`UPDATE document_versions SET body = 'ändrad' WHERE document_id = $1`,
		`UPDATE document_versions SET signed_by = NULL, signed_at = NULL, sha256 = NULL WHERE document_id = $1`,
		`DELETE FROM document_versions WHERE document_id = $1`,
	} {
		var pgErr *pgconn.PgError
		if _, err := s.db.Exec(ctx, stmt, d.ID); !errors.As(err, &pgErr) || pgErr.Code != "23000" {
			t.Fatalf("%s as the application's role: %v, want refused (23000)", stmt, err)
		}
	}

	// A change is a new version: one draft at a time, signed again, chained to the first.
	if got := expect[documents.VersionCreated](s.as("larare-a1"), http.StatusCreated, "POST", doc+"/versions", investigation("Läsning, skrivning")); got.Version != 2 {
		t.Fatalf("the new version: %+v", got)
	}
	if r := s.as("larare-a1").do("POST", doc+"/versions", investigation("en till"), &p); r.StatusCode != http.StatusConflict {
		t.Fatalf("a second draft: %d, want 409", r.StatusCode)
	}
	guardian := get[documents.Document](s.as("vh-1"), doc)
	if len(guardian.Versions) != 1 || guardian.Versions[0].Version != 1 {
		t.Fatalf("the guardian reads %+v, want the signed version 1 alone", guardian.Versions)
	}
	second := signVersion(t, s, "larare-a1", d.ID, "2")
	if second.Previous == nil || *second.Previous != *first.SHA256 {
		t.Fatalf("version 2 chains to %v, want version 1's %s", second.Previous, *first.SHA256)
	}
	list := get[[]documents.Summary](s.as("vh-2"), "/api/v1/persons/"+maja+"/documents")
	if len(list) != 1 || list[0].ID != d.ID || list[0].Versions != 2 || list[0].Draft {
		t.Fatalf("the other guardian's list: %+v", list)
	}
	if list := get[[]documents.Summary](s.as("larare-a2"), "/api/v1/persons/"+maja+"/documents"); len(list) != 0 {
		t.Fatalf("a teacher of Maja not on the document lists %+v", list)
	}
	for _, user := range []string{"larare-a1", "rektor-a", "vh-2"} {
		if v := get[documents.Verification](s.as(user), doc+"/verify"); !v.Valid || v.SignedVersions != 2 || v.FailedVersion != nil {
			t.Fatalf("%s verifying the chain: %+v", user, v)
		}
	}

	// Altered behind the application's back (a superuser who switches the triggers off), the
	// chain names the version that is no longer as signed.
	conn, err := s.db.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `SET session_replication_role = replica`)
	if err == nil {
		_, err = conn.Exec(ctx, `UPDATE document_versions SET fields = jsonb_set(fields, '{need}', '"Ingenting"') WHERE document_id = $1 AND version = 1`, d.ID)
	}
	if _, rerr := conn.Exec(ctx, `RESET session_replication_role`); err == nil {
		err = rerr
	}
	conn.Release()
	if err != nil {
		t.Fatal(err)
	}
	v := get[documents.Verification](s.as("vh-1"), doc+"/verify")
	if v.Valid || v.FailedVersion == nil || *v.FailedVersion != 1 || v.Reason == "" {
		t.Fatalf("verifying the altered chain: %+v, want version 1 failing", v)
	}
}

// An action programme is the principal's decision: no one else signs it (403 naming version),
// and nothing is signed by the refusal.
func TestOnlyThePrincipalSignsAnActionProgramme(t *testing.T) {
	s := newStack(t)
	d := addDocument(t, s, "larare-a1", s.id("elev-1"), map[string]any{"kind": "action-programme", "fields": map[string]string{
		"need": "Läsning", "measures": "Särskilt stöd i svenska två timmar i veckan", "responsible": "Speciallärare",
		"followUp": "2027-01-20", "evaluation": "2027-03-15"}})
	var p api.Problem
	if r := s.as("larare-a1").do("POST", "/api/v1/documents/"+d.ID+"/versions/1/sign", nil, &p); r.StatusCode != http.StatusForbidden ||
		!slices.Equal(fieldsOf(p), []string{"version"}) {
		t.Fatalf("a teacher signing an action programme: %d %+v, want 403 naming version", r.StatusCode, p)
	}
	if n := s.count(`SELECT count(*) FROM document_versions WHERE document_id = $1 AND signed_at IS NOT NULL`, d.ID); n != 0 {
		t.Fatalf("%d versions signed by a refusal", n)
	}
	if r := s.as("rektor-b").do("POST", "/api/v1/documents/"+d.ID+"/versions/1/sign", nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("another school's principal signing: %d, want 404", r.StatusCode)
	}
	if v := signVersion(t, s, "rektor-a", d.ID, "1"); !v.Signed || *v.SignedBy != s.id("rektor-a") {
		t.Fatalf("the principal's signature: %+v", v)
	}
}

// Bad input names each wrong field and writes nothing.
func TestBadDocumentsAreRefused(t *testing.T) {
	s := newStack(t)
	maja := "/api/v1/persons/" + s.id("elev-1") + "/documents"
	cases := []struct {
		name, user string
		body       map[string]any
		status     int
		fields     []string
	}{
		{"content missing a field of its kind", "larare-a1", map[string]any{"kind": "investigation", "fields": map[string]string{"need": "x"}},
			422, []string{"fields/participation"}},
		{"a field its kind does not have, and a date that is none", "rektor-a", map[string]any{"kind": "action-programme", "fields": map[string]string{
			"need": "x", "measures": "y", "responsible": "z", "followUp": "2027-02-30", "evaluation": "2027-03-01", "colour": "blå"}},
			422, []string{"fields/colour", "fields/followUp"}},
		{"a kind there is not", "larare-a1", map[string]any{"kind": "diary", "fields": map[string]string{}}, 422, []string{"kind"}},
		{"a school unit that is not the pupil's", "rektor-a", map[string]any{"kind": "incident-report", "schoolUnit": demo.OrgID("b"),
			"fields": map[string]string{"who": "a", "what": "b", "when": "c", "where": "d"}}, 422, []string{"schoolUnit"}},
		{"a report about a pupil of another school", "rektor-b", map[string]any{"kind": "incident-report",
			"fields": map[string]string{"who": "a", "what": "b", "when": "c", "where": "d"}}, 404, []string{"personId"}},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as(c.user).do("POST", maja, c.body, &p)
		got := fieldsOf(p)
		slices.Sort(got)
		if r.StatusCode != c.status || !slices.Equal(got, c.fields) {
			t.Errorf("%s: %d %+v, want %d naming %v", c.name, r.StatusCode, p, c.status, c.fields)
		}
	}
	if n := s.count(`SELECT count(*) FROM documents`); n != 0 {
		t.Fatalf("%d documents written by refused requests", n)
	}
}

// pdfText answers the text of a PDF, as Debian's pdftotext reads it (make browser installs it).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make browser installs it): %v", err)
	}
	return string(out)
}

// A document exports for the inspector and the family, as JSON and as a PDF whose text says the
// same: its versions as the reader may see them, who signed them, their hashes and the chain.
func TestADocumentExportsAsJSONAndPDF(t *testing.T) {
	s := newStack(t)
	id := signedDocument(t, s)
	expect[documents.VersionCreated](s.as("larare-a1"), http.StatusCreated, "POST", "/api/v1/documents/"+id+"/versions", investigation("Utkast"))
	export := "/api/v1/documents/" + id + "/export"

	staff := get[documents.Export](s.as("rektor-a"), export)
	if len(staff.Document.Versions) != 2 || !staff.Verification.Valid || staff.Verification.SignedVersions != 1 ||
		staff.Names[s.id("elev-1")] != "Maja Lind" || staff.ExportedBy != s.id("rektor-a") {
		t.Fatalf("the principal's export: %+v", staff)
	}
	family := get[documents.Export](s.as("vh-1"), export)
	if len(family.Document.Versions) != 1 || family.Document.Versions[0].SHA256 == nil {
		t.Fatalf("the guardian's export: %+v, want the signed version alone", family.Document.Versions)
	}

	res, body := s.as("vh-1").send("GET", export+"?format=pdf", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdfText(t, body)
	for _, want := range []string{"Maja Lind", "version 1", *family.Document.Versions[0].SHA256, "Läsförståelse",
		"Every signed version is as it was signed", "utredning"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "version 2") || strings.Contains(text, "Utkast") {
		t.Errorf("the guardian's PDF shows the draft:\n%s", text)
	}
	var p api.Problem
	if r := s.as("vh-1").do("GET", export+"?format=docx", nil, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"format"}) {
		t.Errorf("an unknown format: %d %+v, want 422 naming format", r.StatusCode, p)
	}
}

// The principal puts staff of the school on a document and takes them off it: on it, they read
// and draft it; off it, they see nothing of it. The last one stays on it.
func TestThePrincipalAssignsADocumentsStaff(t *testing.T) {
	s := newStack(t)
	body := investigation("Läsning")
	body["kind"] = "investigation"
	d := addDocument(t, s, "larare-a1", s.id("elev-1"), body)
	at := "/api/v1/documents/" + d.ID
	staff := at + "/staff"
	expect[documents.Document](s.as("rektor-a"), http.StatusOK, "POST", staff, documents.StaffInput{PersonID: s.id("spec-a")})
	// Assigned again, nothing changes.
	again := expect[documents.Document](s.as("rektor-a"), http.StatusOK, "POST", staff, documents.StaffInput{PersonID: s.id("spec-a")})
	if len(again.Staff) != 2 {
		t.Fatalf("the staff after assigning twice: %v", again.Staff)
	}
	expect[documents.Document](s.as("spec-a"), http.StatusOK, "PUT", at+"/versions/1", investigation("Läsning och skrivning"))

	var p api.Problem
	if r := s.as("rektor-a").do("POST", staff, map[string]any{"personId": "x"}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"personId"}) {
		t.Fatalf("a person id that is none: %d %+v, want 422 naming personId", r.StatusCode, p)
	}
	if r := s.as("rektor-a").do("POST", staff, documents.StaffInput{PersonID: s.id("vh-1")}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"personId"}) {
		t.Fatalf("a guardian on the staff: %d %+v, want 422 naming personId", r.StatusCode, p)
	}

	left := expect[documents.Document](s.as("rektor-a"), http.StatusOK, "DELETE", staff+"/"+s.id("spec-a"), nil)
	if slices.Contains(left.Staff, s.id("spec-a")) {
		t.Fatalf("the staff after taking spec-a off: %v", left.Staff)
	}
	if r := s.as("spec-a").do("GET", at, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("spec-a reading the document after being taken off it: %d, want 404", r.StatusCode)
	}
	if r := s.as("rektor-a").do("DELETE", staff+"/"+s.id("spec-a"), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("taking off one who is not on it: %d, want 404", r.StatusCode)
	}
	if r := s.as("rektor-a").do("DELETE", staff+"/"+s.id("larare-a1"), nil, &p); r.StatusCode != http.StatusConflict {
		t.Fatalf("taking off the last one: %d, want 409", r.StatusCode)
	}
	// The draft spec-a wrote stays as written, by them.
	kept := get[documents.Document](s.as("larare-a1"), at)
	if kept.Versions[0].Fields["need"] != "Läsning och skrivning" {
		t.Fatalf("the draft after spec-a left: %+v", kept.Versions[0])
	}
}
