package documents

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Store keeps documents and their versions (migrations/0020_documents.sql). Every change is one
// transaction that first locks the document's row, so two changes to one document take turns:
// the second sees what the first wrote.
type Store struct {
	DB *pgxpool.Pool
}

// Content is what a version says: its kind's fields, and free text.
type Content struct {
	Fields map[string]string `json:"fields"`
	Text   string            `json:"text"`
}

// NewDocument is a document as it is begun: its first version, a draft.
type NewDocument struct {
	ID, Kind, Pupil, SchoolUnit, By string
	Content
}

// Create records a document with its first version as a draft, and its author as the first of
// its staff.
func (s Store) Create(ctx context.Context, d NewDocument) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO documents (id, kind, pupil_id, school_unit_id, created_by) VALUES ($1, $2, $3, $4, $5)`,
			d.ID, d.Kind, d.Pupil, d.SchoolUnit, d.By); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_staff (document_id, person_id) VALUES ($1, $2)`, d.ID, d.By); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, fields, body, drafted_by) VALUES ($1, 1, $2, $3, $4)`,
			d.ID, d.Fields, d.Text, d.By)
		return err
	})
}

// SchoolUnits answers the school units the pupil is enrolled or placed at today.
func (s Store) SchoolUnits(ctx context.Context, pupil string) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT e.enroled_at::text FROM enrolments e WHERE e.person_id = $1 AND `+register.Active("e")+`
		UNION SELECT p.placed_at::text FROM placements p WHERE p.child_id = $1 AND `+register.Active("p"), pupil)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// WorksAt reports whether person holds a duty at the school unit today.
func (s Store) WorksAt(ctx context.Context, person, schoolUnit string) (bool, error) {
	var ok bool
	err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $1 AND d.duty_at = $2 AND `+register.Active("d")+`)`,
		person, schoolUnit).Scan(&ok)
	return ok, err
}

// Version is one version of a document.
type Version struct {
	Version   int               `json:"version"`
	Fields    map[string]string `json:"fields"`
	Text      string            `json:"text"`
	DraftedBy string            `json:"draftedBy"`
	DraftedAt time.Time         `json:"draftedAt"`
	Signed    bool              `json:"signed"`
	SignedBy  *string           `json:"signedBy"`
	SignedAt  *time.Time        `json:"signedAt"`
	Previous  *string           `json:"previousSha256"`
	SHA256    *string           `json:"sha256"`
}

// Document is a document with its versions, oldest first.
type Document struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Pupil      string    `json:"pupil"`
	SchoolUnit string    `json:"schoolUnit"`
	CreatedBy  string    `json:"createdBy"`
	CreatedAt  time.Time `json:"createdAt"`
	Staff      []string  `json:"staff"`
	Versions   []Version `json:"versions"`
}

const versionColumns = `version, fields, body AS text, drafted_by::text AS drafted_by, drafted_at, signed_at IS NOT NULL AS signed,
	signed_by::text AS signed_by, signed_at, previous_sha256 AS previous, sha256`

// Document answers a document and its versions; with signedOnly, only its signed versions (a
// guardian never sees a draft).
func (s Store) Document(ctx context.Context, id string, signedOnly bool) (Document, error) {
	var d Document
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id::text, kind, pupil_id::text, school_unit_id::text, created_by::text, created_at,
			  ARRAY(SELECT person_id::text FROM document_staff WHERE document_id = d.id ORDER BY person_id)
			FROM documents d WHERE id = $1`, id).Scan(&d.ID, &d.Kind, &d.Pupil, &d.SchoolUnit, &d.CreatedBy, &d.CreatedAt, &d.Staff)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("There is no such document."))
		}
		if err != nil {
			return err
		}
		d.Versions, err = collect.All[Version](ctx, tx, `SELECT `+versionColumns+` FROM document_versions
			WHERE document_id = $1 AND (signed_at IS NOT NULL OR NOT $2) ORDER BY version`, id, signedOnly)
		return err
	})
	return d, err
}

// Summary is a document in a pupil's list.
type Summary struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	SchoolUnit string     `json:"schoolUnit"`
	CreatedAt  time.Time  `json:"createdAt"`
	Versions   int        `json:"versions"`     // the versions the viewer sees
	SignedAt   *time.Time `json:"lastSignedAt"` // the latest signature, if any
	Draft      bool       `json:"draftOpen"`    // the latest version is a draft (staff only)
}

// Pupil answers the pupil's documents that viewer may read, newest first: as the staff of a
// document, or the principal of its school unit, every one, drafts counted; as a custodial
// guardian only the signed versions of documents with one.
func (s Store) Pupil(ctx context.Context, pupil, viewer string) ([]Summary, error) {
	return collect.All[Summary](ctx, s.DB, `WITH seen AS (
		  SELECT d.*, (EXISTS (SELECT 1 FROM document_staff ds WHERE ds.document_id = d.id AND ds.person_id = $2)
		    OR `+principalOf("d", "$2")+`) AS staff
		  FROM documents d WHERE d.pupil_id = $1)
		SELECT d.id::text, d.kind, d.school_unit_id::text AS school_unit, d.created_at,
		  count(*) FILTER (WHERE d.staff OR v.signed_at IS NOT NULL)::int AS versions, max(v.signed_at) AS signed_at,
		  d.staff AND bool_or(v.signed_at IS NULL) AS draft
		FROM seen d JOIN document_versions v ON v.document_id = d.id
		WHERE d.staff OR EXISTS (SELECT 1 FROM responsibles r WHERE r.person_id = d.pupil_id AND r.responsible_id = $2
		  AND `+register.HasCustody("r")+` AND `+register.Active("r")+`)
		GROUP BY d.id, d.kind, d.school_unit_id, d.created_at, d.staff
		HAVING d.staff OR max(v.signed_at) IS NOT NULL
		ORDER BY d.created_at DESC, d.id`, pupil, viewer)
}

// principalOf is the SQL condition that person (a parameter) is the principal (Rektor) of the
// school unit of the documents row alias d today.
func principalOf(d, person string) string {
	return `EXISTS (SELECT 1 FROM duties du WHERE du.person_id = ` + person + ` AND du.duty_at = ` + d + `.school_unit_id
		AND du.duty_role = 'Rektor' AND ` + register.Active("du") + `)`
}

// NewVersion adds a draft after the latest version, which must be signed: a signed document is
// changed by a new version, signed again.
func (s Store) NewVersion(ctx context.Context, id, by string, c Content) (int, error) {
	var n int
	err := s.locked(ctx, id, func(tx pgx.Tx, kind string) error {
		var open bool
		if err := tx.QueryRow(ctx, `SELECT max(version), bool_or(signed_at IS NULL) FROM document_versions WHERE document_id = $1`,
			id).Scan(&n, &open); err != nil {
			return err
		}
		if open {
			return errs.E(errs.Conflict, errs.Msg("The document has a draft already: change it, or sign it first."))
		}
		n++
		if err := addStaff(ctx, tx, id, by); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, fields, body, drafted_by) VALUES ($1, $2, $3, $4, $5)`,
			id, n, c.Fields, c.Text, by)
		return err
	})
	return n, err
}

// EditDraft changes draft version n. A signed version never changes (409).
func (s Store) EditDraft(ctx context.Context, id string, n int, by string, c Content) error {
	return s.locked(ctx, id, func(tx pgx.Tx, kind string) error {
		if err := draft(ctx, tx, id, n); err != nil {
			return err
		}
		if err := addStaff(ctx, tx, id, by); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE document_versions SET fields = $3, body = $4, drafted_by = $5, drafted_at = now()
			WHERE document_id = $1 AND version = $2`, id, n, c.Fields, c.Text, by)
		return err
	})
}

// Signing is a signature on a draft version.
type Signing struct {
	DocumentID string
	Version    int
	By         string
	At         time.Time
}

// Sign signs draft version n as by, at at: its hash chains it to the version before. Whether by
// may sign the document's kind is decided before (the handler, with the Authorizer's relations).
func (s Store) Sign(ctx context.Context, g Signing) (Version, error) {
	var out Version
	err := s.locked(ctx, g.DocumentID, func(tx pgx.Tx, kind string) error {
		if err := draft(ctx, tx, g.DocumentID, g.Version); err != nil {
			return err
		}
		var v Sealed
		var previous *string
		err := tx.QueryRow(ctx, `SELECT d.id::text, d.kind, d.pupil_id::text, d.school_unit_id::text, v.fields, v.body, v.drafted_by::text,
			  (SELECT p.sha256 FROM document_versions p WHERE p.document_id = d.id AND p.version = v.version - 1)
			FROM documents d JOIN document_versions v ON v.document_id = d.id WHERE d.id = $1 AND v.version = $2`, g.DocumentID, g.Version).
			Scan(&v.DocumentID, &v.Kind, &v.Pupil, &v.SchoolUnit, &v.Fields, &v.Text, &v.DraftedBy, &previous)
		if err != nil {
			return err
		}
		// A draft begun by a process (an investigation) may still be blank: only a complete one is signed.
		var bad api.Fields
		CheckContent(Kinds[kind], Content{Fields: v.Fields, Text: v.Text}, &bad)
		if err := bad.Err("documents.sign"); err != nil {
			return err
		}
		at := g.At.UTC().Truncate(time.Microsecond) // as PostgreSQL keeps it, so the hash is over what is stored
		v.Version, v.SignedBy, v.SignedAt = g.Version, g.By, SignedAtText(at)
		prev := ""
		if previous != nil {
			prev = *previous
		}
		hash := Hash(prev, v)
		if _, err := tx.Exec(ctx, `UPDATE document_versions SET signed_by = $3, signed_at = $4, previous_sha256 = $5, sha256 = $6
			WHERE document_id = $1 AND version = $2`, g.DocumentID, g.Version, g.By, at, previous, hash); err != nil {
			return err
		}
		out, err = collect.One[Version](ctx, tx, `SELECT `+versionColumns+` FROM document_versions WHERE document_id = $1 AND version = $2`,
			g.DocumentID, g.Version)
		return err
	})
	return out, err
}

// Chain answers the document's signed versions as stored, in order, for Verify.
func (s Store) Chain(ctx context.Context, id string) ([]Link, error) {
	rows, err := s.DB.Query(ctx, `SELECT d.id::text, v.version, d.kind, d.pupil_id::text, d.school_unit_id::text, v.fields, v.body,
		  v.drafted_by::text, v.signed_by::text, v.signed_at, coalesce(v.previous_sha256, ''), v.sha256
		FROM documents d JOIN document_versions v ON v.document_id = d.id
		WHERE d.id = $1 AND v.signed_at IS NOT NULL ORDER BY v.version`, id)
	if err != nil {
		return nil, err
	}
	var links []Link
	var l Link
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&l.DocumentID, &l.Version, &l.Kind, &l.Pupil, &l.SchoolUnit, &l.Fields, &l.Text,
		&l.DraftedBy, &l.SignedBy, &at, &l.Previous, &l.Hash}, func() error {
		l.SignedAt = SignedAtText(at)
		links = append(links, l)
		l = Link{}
		return nil
	})
	return links, err
}

// locked runs fn in a transaction that holds the document's row, with the document's kind. A
// document that does not exist is not found.
func (s Store) locked(ctx context.Context, id string, fn func(tx pgx.Tx, kind string) error) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var kind string
		err := tx.QueryRow(ctx, `SELECT kind FROM documents WHERE id = $1 FOR UPDATE`, id).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("There is no such document."))
		}
		if err != nil {
			return err
		}
		return fn(tx, kind)
	})
}

// draft checks that version n of the document exists and is a draft.
func draft(ctx context.Context, tx pgx.Tx, id string, n int) error {
	var signed bool
	err := tx.QueryRow(ctx, `SELECT signed_at IS NOT NULL FROM document_versions WHERE document_id = $1 AND version = $2`, id, n).Scan(&signed)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return errs.E(errs.NotFound, errs.Msg("The document has no such version."), []errs.FieldError{{Field: "version", Detail: "names no version of the document"}})
	case err != nil:
		return err
	case signed:
		return errs.E(errs.Conflict, errs.Msg("A signed version never changes: add a new version, and sign it."),
			[]errs.FieldError{{Field: "version", Detail: "is signed"}})
	}
	return nil
}

// addStaff puts by on the document's staff: who drafts a document is on it.
func addStaff(ctx context.Context, tx pgx.Tx, id, by string) error {
	_, err := tx.Exec(ctx, `INSERT INTO document_staff (document_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, by)
	return err
}

// Assign puts person on the document's staff, assigned by the principal: they then read and
// draft it. The person must work at the document's school unit today. Assigned again, they stay
// as they were.
func (s Store) Assign(ctx context.Context, id, person, by string) error {
	return s.locked(ctx, id, func(tx pgx.Tx, _ string) error {
		tag, err := tx.Exec(ctx, `INSERT INTO document_staff (document_id, person_id, assigned_by)
			SELECT d.id, du.person_id, $3 FROM documents d JOIN duties du ON du.duty_at = d.school_unit_id AND du.person_id = $2
			WHERE d.id = $1 AND `+register.Active("du")+` LIMIT 1
			ON CONFLICT (document_id, person_id) DO NOTHING`, id, person, by)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var on bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM document_staff WHERE document_id = $1 AND person_id = $2)`,
			id, person).Scan(&on); err != nil || on {
			return err
		}
		return errs.E(errs.Invalid, errs.Msg("The request has invalid fields."),
			[]errs.FieldError{{Field: "personId", Detail: "does not work at the document's school unit"}})
	})
}

// Unassign takes person off the document's staff. What they drafted stays theirs; the document
// keeps at least one person on its staff.
func (s Store) Unassign(ctx context.Context, id, person string) error {
	return s.locked(ctx, id, func(tx pgx.Tx, _ string) error {
		var on bool
		var staff int
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM document_staff WHERE document_id = $1 AND person_id = $2),
			  (SELECT count(*) FROM document_staff WHERE document_id = $1)`, id, person).Scan(&on, &staff); err != nil {
			return err
		}
		switch {
		case !on:
			return errs.E(errs.NotFound, errs.Msg("The person is not on the document's staff."))
		case staff == 1:
			return errs.E(errs.Conflict, errs.Msg("The document's last staff member stays on it: assign another first."))
		}
		_, err := tx.Exec(ctx, `DELETE FROM document_staff WHERE document_id = $1 AND person_id = $2`, id, person)
		return err
	})
}

// Kind answers the document's kind.
func (s Store) Kind(ctx context.Context, id string) (string, error) {
	var kind string
	err := s.DB.QueryRow(ctx, `SELECT kind FROM documents WHERE id = $1`, id).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errs.E(errs.NotFound, errs.Msg("There is no such document."))
	}
	return kind, err
}
