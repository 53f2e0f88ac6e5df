package enrollment

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// ApplicationView is a child's application in a round, as one viewer may see it.
type ApplicationView struct {
	ID        string `json:"id" db:"id"`
	ChildID   string `json:"childId" db:"child_id"`
	RoundID   string `json:"roundId" db:"round_id"`
	Status    string `json:"status" db:"status"`
	Version   int    `json:"version" db:"version"`              // the newest
	Agreed    *int   `json:"agreedVersion" db:"agreed_version"` // the one that counts; null for none
	ProcessID string `json:"processId" db:"process_id"`
	// Versions are every version, the newest first.
	Versions []VersionView `json:"versions" db:"versions"`
	// Placement is where the round placed the child and why (explain.go); null until it is
	// placed, and for the family until it is published.
	Placement *PlacementView `json:"placement" db:"-"`
	// Appeals are the appeals of refusals in the round, the first lodged first.
	Appeals []AppealView `json:"appeals" db:"-"`
	// Round is the round applied in; Offer the place offered once the round is published, null
	// before and for a child placed nowhere.
	Round Round      `json:"round" db:"-"`
	Offer *OfferView `json:"offer" db:"-"`
}

// VersionView is a version of an application, with each guardian's answer to it.
type VersionView struct {
	Version int `json:"version"`
	// Choices are the schools, the most wished first.
	Choices []ChoiceView `json:"choices"`
	// AppliedBy is the guardian who wrote it; null when the viewer may not know who did (the
	// writer has a protection marking and is not the viewer).
	AppliedBy *string       `json:"appliedBy"`
	AppliedAt time.Time     `json:"appliedAt"`
	Consents  []ConsentView `json:"consents"`
}

// ChoiceView is a chosen school.
type ChoiceView struct {
	School string `json:"schoolId"`
	Name   string `json:"name"`
}

// ConsentView is a guardian's answer to a version; Guardian is null as VersionView.AppliedBy.
type ConsentView struct {
	Guardian   *string   `json:"guardianId"`
	Answer     string    `json:"answer"`
	AnsweredAt time.Time `json:"answeredAt"`
}

// Application answers a child's application in a round as viewer may see it. Errors:
// errs.NotFound when the child has none there.
func (s Store) Application(ctx context.Context, childID, roundID, viewer string) (ApplicationView, error) {
	// A person's id is shown to the viewer when it is the viewer's own or the person has no
	// protection marking: a guardian living at a protected address is not named to the other.
	rows, _ := s.DB.Query(ctx, `
		SELECT a.id::text AS id, a.child_id::text AS child_id, a.round_id::text AS round_id, a.status, a.version,
		  a.agreed_version, 'application:' || a.child_id || ':' || a.round_id AS process_id,
		  (SELECT json_agg(json_build_object(
		     'version', v.version, 'appliedAt', v.applied_at,
		     'appliedBy', CASE WHEN `+shown("v.applied_by")+` THEN v.applied_by END,
		     'choices', (SELECT json_agg(json_build_object('schoolId', c.school, 'name', o.display_name) ORDER BY c.ord)
		                 FROM unnest(v.choices) WITH ORDINALITY AS c(school, ord) JOIN organisations o ON o.id = c.school),
		     'consents', coalesce((SELECT json_agg(json_build_object('answer', k.answer, 'answeredAt', k.answered_at,
		                   'guardianId', CASE WHEN `+shown("k.guardian_id")+` THEN k.guardian_id END)
		                   ORDER BY k.answered_at) FROM application_consents k
		                 WHERE k.application_id = v.application_id AND k.version = v.version), '[]'))
		     ORDER BY v.version DESC)
		   FROM application_versions v WHERE v.application_id = a.id) AS versions
		FROM applications a WHERE a.child_id = $1 AND a.round_id = $2`, childID, roundID, viewer)
	view, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ApplicationView])
	if errors.Is(err, pgx.ErrNoRows) {
		return ApplicationView{}, errs.E(errs.NotFound, errs.Msg("The child has no application in this round."))
	}
	return view, err
}

// shown is the SQL condition that the person of column is shown to the viewer ($3): the viewer
// themselves, or a person without a protection marking.
func shown(column string) string {
	return "(" + column + " = $3::uuid OR EXISTS (SELECT 1 FROM persons p WHERE p.id = " + column + " AND " + register.Unprotected("p") + "))"
}
