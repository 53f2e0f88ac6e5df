package documents

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
)

// The area's HTTP handlers: bind, check what api/openapi.yaml cannot say (the kind's fields, the
// school unit, who signs), call the Store, respond. Who may call each is decided before, by
// policy.csv over DocumentTarget's relations.

type handlers struct {
	env   area.Env
	store Store
}

// DocumentInput begins a document about a pupil: its kind, the school unit it belongs to (the
// pupil's, when they have one), and its first draft.
type DocumentInput struct {
	Kind       string `json:"kind"`
	SchoolUnit string `json:"schoolUnit"`
	Content
}

// create begins a document about the pupil, its first version a draft by the caller, who is then
// on the document's staff.
func (h handlers) create(c *gin.Context) {
	const op = "documents.create"
	var in DocumentInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	kind, known := Kinds[in.Kind]
	if known {
		CheckContent(kind, in.Content, &bad)
	}
	pupil, by := c.Param("personId"), api.ViewerOf(c).PersonID
	units, err := h.store.SchoolUnits(c, pupil)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	switch {
	case in.SchoolUnit == "" && len(units) == 1:
		in.SchoolUnit = units[0]
	case in.SchoolUnit == "" && len(units) == 0:
		bad.Add("personId", "is not enrolled or placed at a school unit today")
	case in.SchoolUnit == "":
		bad.Add("schoolUnit", "is required: the pupil is at more than one school unit")
	case !slices.Contains(units, in.SchoolUnit):
		bad.Add("schoolUnit", "is not a school unit of the pupil's today")
	}
	if in.SchoolUnit != "" && slices.Contains(units, in.SchoolUnit) {
		works, err := h.store.WorksAt(c, by, in.SchoolUnit)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		if !works {
			bad.Add("schoolUnit", "is not a school unit you work at: a document is kept by the pupil's school")
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	d := NewDocument{ID: uuid.NewString(), Kind: in.Kind, Pupil: pupil, SchoolUnit: in.SchoolUnit, By: by, Content: in.Content}
	if err := h.store.Create(c, d); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, d.ID, http.StatusCreated, false) // its author is on its staff
}

// list answers the pupil's documents the caller may read (Store.Pupil).
func (h handlers) list(c *gin.Context) {
	out, err := h.store.Pupil(c, c.Param("personId"), api.ViewerOf(c).PersonID)
	if err != nil {
		api.Abort(c, errs.E("documents.list", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// get answers the document: to its staff and the principal with every version, to a guardian
// with the signed ones.
func (h handlers) get(c *gin.Context) {
	h.answer(c, c.Param("documentId"), http.StatusOK, !drafter(api.ViewerOf(c)))
}

// answer answers the document with status: with its signed versions alone, or all of them.
func (h handlers) answer(c *gin.Context, id string, status int, signedOnly bool) {
	d, err := h.store.Document(c, id, signedOnly)
	if err != nil {
		api.Abort(c, errs.E("documents.get", err))
		return
	}
	c.JSON(status, d)
}

// StaffInput names a staff member to put on the document's staff.
type StaffInput struct {
	PersonID string `json:"personId"`
}

// assign puts a staff member of the document's school unit on its staff: the principal has an
// investigation drafted by whom they choose, a special needs teacher or a school counsellor.
func (h handlers) assign(c *gin.Context) {
	const op = "documents.assign"
	var in StaffInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	id := c.Param("documentId")
	if err := h.store.Assign(c, id, in.PersonID, api.ViewerOf(c).PersonID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, id, http.StatusOK, false)
}

// unassign takes a person off the document's staff.
func (h handlers) unassign(c *gin.Context) {
	id := c.Param("documentId")
	if err := h.store.Unassign(c, id, c.Param("member")); err != nil {
		api.Abort(c, errs.E("documents.unassign", err))
		return
	}
	h.answer(c, id, http.StatusOK, false)
}

// drafter reports whether the viewer drafts the document: its staff, or the principal.
func drafter(v api.Viewer) bool {
	return v.Relations["document-staff"] || v.Relations["document-principal"]
}

// verify recomputes the document's chain of signed versions.
func (h handlers) verify(c *gin.Context) {
	links, err := h.store.Chain(c, c.Param("documentId"))
	if err != nil {
		api.Abort(c, errs.E("documents.verify", err))
		return
	}
	c.JSON(http.StatusOK, Verify(links))
}

// VersionCreated answers a new draft.
type VersionCreated struct {
	Version int `json:"version"`
}

// newVersion begins a new draft after the signed latest version.
func (h handlers) newVersion(c *gin.Context) {
	const op = "documents.new-version"
	id := c.Param("documentId")
	in, ok := h.content(c, op, id)
	if !ok {
		return
	}
	n, err := h.store.NewVersion(c, id, api.ViewerOf(c).PersonID, in)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, VersionCreated{Version: n})
}

// editDraft changes a draft; a signed version never changes (409).
func (h handlers) editDraft(c *gin.Context) {
	const op = "documents.edit-draft"
	id := c.Param("documentId")
	n, ok := version(c)
	if !ok {
		return
	}
	in, ok := h.content(c, op, id)
	if !ok {
		return
	}
	if err := h.store.EditDraft(c, id, n, api.ViewerOf(c).PersonID, in); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, id, http.StatusOK, false) // its staff or the principal, who may edit
}

// sign signs a draft, if the caller may sign the document's kind: an action programme and the
// decision not to draw one up are the principal's alone.
func (h handlers) sign(c *gin.Context) {
	const op = "documents.sign"
	id, v := c.Param("documentId"), api.ViewerOf(c)
	n, ok := version(c)
	if !ok {
		return
	}
	kind, err := h.store.Kind(c, id)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if Kinds[kind].SignedBy == ByPrincipal && !v.Relations["document-principal"] {
		api.Abort(c, errs.E(op, errs.Forbidden, errs.Msg("Only the principal of the school unit decides and signs a document of this kind."),
			[]errs.FieldError{{Field: "version", Detail: "is the principal's to sign: a " + kind + " is a decision the principal cannot delegate"}}))
		return
	}
	signed, err := h.store.Sign(c, Signing{DocumentID: id, Version: n, By: v.PersonID, At: time.Now()})
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, signed)
}

// content binds and checks a version's content against the document's kind.
func (h handlers) content(c *gin.Context, op, id string) (Content, bool) {
	var in Content
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return in, false
	}
	kind, err := h.store.Kind(c, id)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return in, false
	}
	CheckContent(Kinds[kind], in, &bad)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return in, false
	}
	return in, true
}

// version is the path's :version, a version number; any other text names no version (404).
func version(c *gin.Context) (int, bool) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 || strconv.Itoa(n) != c.Param("version") {
		api.Abort(c, errs.E("documents.version", errs.NotFound, errs.Msg("The document has no such version."),
			[]errs.FieldError{{Field: "version", Detail: "names no version of the document"}}))
		return 0, false
	}
	return n, true
}
