package documents

import (
	"embed"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages: a pupil's documents, and a form to begin one, for the staff
// (/pupils/:personId/documents); a document with its versions (/documents/:documentId), where its
// staff draft and sign it (an action programme: the principal signs), and where a guardian reads
// the decided versions with how to appeal a decision; and the guardian's page about a child lists
// the child's decided documents. The pages ask the API only: what each viewer sees is its answer.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes and section of the child's page.
func Web() web.Area {
	return web.Area{
		Name:  "documents",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/pupils/:personId/documents", pupilPage)
			r.POST("/pupils/:personId/documents", begin)
			r.GET("/documents/:documentId", documentPage)
			r.POST("/documents/:documentId/draft", saveDraft)
			r.POST("/documents/:documentId/sign", signDraft)
		},
		Sections: map[string]web.Section{web.SlotChild: childSection},
	}
}

func documentsPath(person string) string {
	return "/api/v1/persons/" + url.PathEscape(person) + "/documents"
}
func documentPath(id string) string { return "/api/v1/documents/" + url.PathEscape(id) }

// form is a version's form (pages/_fields.html): the kind's fields, filled with a version's.
type form struct {
	FormKind   Kind
	FormFields map[string]string
	FormText   string
}

// pupilPageData is the pupil's documents and the form to begin one.
type pupilPageData struct {
	form
	PersonID  string
	Documents []Summary
	Kinds     []string // the kinds one may begin
	Chosen    bool     // a kind is chosen: its form is shown
}

func loadPupilPage(c *web.Ctx) (string, pupilPageData, error) {
	person := c.Param("personId")
	d := pupilPageData{PersonID: person, Kinds: KindNames()}
	kind := c.Query("kind")
	if c.Request.Method == http.MethodPost {
		kind = c.PostForm("kind")
	}
	if k, ok := Kinds[kind]; ok {
		d.FormKind, d.Chosen = k, true
	}
	if err := c.Get(documentsPath(person), &d.Documents); err != nil {
		return "", d, err
	}
	title := c.T("documents.pupil.title.unnamed")
	if name := c.PersonName(map[string]string{}, person); name != "" {
		title = c.T("documents.pupil.title", name)
	}
	return title, d, nil
}

func pupilPage(c *web.Ctx) {
	title, d, err := loadPupilPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "documents/pupil", web.View{Title: title, Data: d})
}

// begin begins a document of the chosen kind, its first draft empty but for what the form
// gave, and leads to it.
func begin(c *web.Ctx) {
	kind := c.PostForm("kind")
	fields := map[string]string{}
	for _, f := range Kinds[kind].Fields {
		fields[f] = strings.TrimSpace(c.PostForm(f))
	}
	var d Document
	err := c.Send(http.MethodPost, documentsPath(c.Param("personId")), map[string]any{"kind": kind, "fields": fields,
		"text": strings.TrimSpace(c.PostForm("text"))}, &d)
	if err == nil {
		c.Done("/documents/"+d.ID, "documents.begun")
		return
	}
	title, data, lerr := loadPupilPage(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	if c.Invalid(err, "documents/pupil", web.View{Title: title, Data: data}) {
		return
	}
	c.Fail(err)
}

// documentPageData is a document as its page shows it.
type documentPageData struct {
	form
	Document
	Kind      Kind
	Latest    *Version // the latest version the viewer sees
	Draft     bool     // the latest version is a draft: the viewer drafts it
	CanChange bool     // the viewer is on the document's staff, or its school's principal
	Decision  bool     // the kind is a decision that can be appealed
	Verified  Verification
	Broken    int // the first version that fails verification, 0 for none
	Rows      []versionRow
}

// versionRow is a version as the page shows it.
type versionRow struct {
	Version
	At     time.Time // signed at, for a signed version
	SHA256 string
}

func loadDocumentPage(c *web.Ctx) (string, documentPageData, error) {
	id := c.Param("documentId")
	var d documentPageData
	if err := c.Get(documentPath(id), &d.Document); err != nil {
		return "", d, err
	}
	if err := c.Get(documentPath(id)+"/verify", &d.Verified); err != nil {
		return "", d, err
	}
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		return "", d, err
	}
	d.Kind = Kinds[d.Document.Kind]
	d.Decision = d.Kind.SignedBy == ByPrincipal
	d.FormKind = d.Kind
	if d.Verified.FailedVersion != nil {
		d.Broken = *d.Verified.FailedVersion
	}
	for _, v := range d.Versions {
		row := versionRow{Version: v}
		if v.Signed {
			row.At, row.SHA256 = *v.SignedAt, *v.SHA256
		}
		d.Rows = append(d.Rows, row)
	}
	if n := len(d.Versions); n > 0 {
		d.Latest = &d.Versions[n-1]
		d.Draft = !d.Latest.Signed
		d.FormFields, d.FormText = d.Latest.Fields, d.Latest.Text
	}
	principal := slices.ContainsFunc(me.Duties, func(m register.MyDuty) bool { return m.DutyRole == "Rektor" && m.DutyAt.ID == d.SchoolUnit })
	d.CanChange = slices.Contains(d.Staff, me.ID) || principal
	name := c.PersonName(map[string]string{}, d.Pupil)
	return c.T("documents.document.title", c.T("documents.kind."+d.Document.Kind), name), d, nil
}

func documentPage(c *web.Ctx) {
	title, d, err := loadDocumentPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "documents/document", web.View{Title: title, Data: d})
}

// saveDraft saves the form as the draft: the open draft changed, or, after a signed version, a
// new version begun.
func saveDraft(c *web.Ctx) {
	id := c.Param("documentId")
	_, d, err := loadDocumentPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	fields := map[string]string{}
	for _, f := range d.Kind.Fields {
		fields[f] = strings.TrimSpace(c.PostForm(f))
	}
	in := Content{Fields: fields, Text: strings.TrimSpace(c.PostForm("text"))}
	if d.Draft {
		err = c.Send(http.MethodPut, documentPath(id)+"/versions/"+strconv.Itoa(d.Latest.Version), in, nil)
	} else {
		err = c.Send(http.MethodPost, documentPath(id)+"/versions", in, nil)
	}
	if err == nil {
		c.Done("/documents/"+id, "documents.saved")
		return
	}
	documentAgain(c, err)
}

// signDraft signs the open draft: from then on it never changes.
func signDraft(c *web.Ctx) {
	id := c.Param("documentId")
	_, d, err := loadDocumentPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	if !d.Draft {
		c.Done("/documents/"+id, "")
		return
	}
	err = c.Send(http.MethodPost, documentPath(id)+"/versions/"+strconv.Itoa(d.Latest.Version)+"/sign", nil, nil)
	if err == nil {
		c.Done("/documents/"+id, "documents.signed")
		return
	}
	if e := (*web.APIError)(nil); errors.As(err, &e) && e.Status == http.StatusForbidden {
		c.Done("/documents/"+id, "documents.sign.principal")
		return
	}
	documentAgain(c, err)
}

// documentAgain answers a change the API refused: the document's page with the form as typed and
// what was wrong (422), or the failure.
func documentAgain(c *web.Ctx, err error) {
	title, data, lerr := loadDocumentPage(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	if c.Invalid(err, "documents/document", web.View{Title: title, Data: data}) {
		return
	}
	c.Fail(err)
}

// childRow is a document as the child's page lists it.
type childRow struct {
	ID, Kind string
	SignedAt time.Time
}

// childSection is the area's part of the guardian's page about a child: the child's decided
// documents, each leading to its page.
func childSection(c *web.Ctx) (string, any, error) {
	var docs []Summary
	if err := c.Get(documentsPath(c.Param("personId")), &docs); err != nil {
		return "", nil, err
	}
	var rows []childRow
	for _, d := range docs {
		if d.SignedAt != nil {
			rows = append(rows, childRow{ID: d.ID, Kind: d.Kind, SignedAt: *d.SignedAt})
		}
	}
	return "documents/child", rows, nil
}
