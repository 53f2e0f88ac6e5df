package enrollment

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// AppealView is an appeal of a refusal, as the child's guardians and the officers see it. It
// does not say which guardian lodged it.
type AppealView struct {
	ID        string    `json:"id"`
	School    string    `json:"schoolId"`
	Name      string    `json:"name"`
	Ground    string    `json:"ground"`
	AppealTo  string    `json:"appealTo"`
	Status    string    `json:"status"`  // reconsidering, changed or sent-on
	Reasons   *string   `json:"reasons"` // the officers' reasons for letting the decision stand
	LodgedAt  time.Time `json:"lodgedAt"`
	ProcessID string    `json:"processId"`
}

// NewAppeal is an appeal as a guardian lodges it.
type NewAppeal struct {
	ID, RoundID, ChildID, SchoolID, Reason, By string
}

// Lodge records an appeal of the child's refusal at a school, once the placement is published
// and within its appeal window, and answers the refusal's ground and the body it goes to.
// Errors: errs.Conflict before publication, after the window, or for a second appeal of the
// same refusal; errs.Invalid naming schoolId for a school the child was not refused.
func (s Store) Lodge(ctx context.Context, a NewAppeal) (RefusalView, error) {
	placement, err := s.Explain(ctx, a.ChildID, a.RoundID, true)
	if err != nil {
		return RefusalView{}, err
	}
	if placement == nil {
		return RefusalView{}, errs.E(errs.Conflict, errs.Msg("The placement is not published yet: there is no decision to appeal."))
	}
	var refusal *RefusalView
	for _, r := range placement.Refusals {
		if r.School == a.SchoolID {
			refusal = &r
		}
	}
	if refusal == nil {
		return RefusalView{}, errs.E(errs.Invalid, errs.Msg("The child was not refused that school."),
			[]errs.FieldError{{Field: "schoolId", Detail: "is not a school the child was refused in this round"}})
	}
	if today := time.Now().In(register.SchoolDay).Format(time.DateOnly); refusal.AppealBy != "" && today > refusal.AppealBy {
		return RefusalView{}, errs.E(errs.Conflict, errs.Msg("The appeal window closed on "+refusal.AppealBy+"."))
	}
	_, err = s.DB.Exec(ctx, `INSERT INTO placement_appeals (id, round_id, child_id, school_id, ground, appeal_to, reason, lodged_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.RoundID, a.ChildID, a.SchoolID, refusal.Ground, refusal.AppealTo, a.Reason, a.By)
	if errs.Unique(err) {
		return RefusalView{}, errs.E(errs.Conflict, errs.Msg("The refusal at that school is appealed already."))
	}
	return *refusal, err
}

// Unlodge takes back an appeal whose process could not be started.
func (s Store) Unlodge(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM placement_appeals WHERE id = $1`, id)
	return err
}

// Appeals answers the child's appeals in the round, the first lodged first.
func (s Store) Appeals(ctx context.Context, child, round string) ([]AppealView, error) {
	rows, err := s.DB.Query(ctx, `SELECT a.id::text, a.school_id::text, o.display_name, a.ground, a.appeal_to, a.status, a.reasons, a.lodged_at,
		  'appeal:' || a.id
		FROM placement_appeals a JOIN organisations o ON o.id = a.school_id
		WHERE a.child_id = $1 AND a.round_id = $2 ORDER BY a.lodged_at`, child, round)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AppealView])
}

// RecordReconsideration records the officers' decision on an appeal. Idempotent.
func (s Store) RecordReconsideration(ctx context.Context, r Reconsidered) error {
	_, err := s.DB.Exec(ctx, `UPDATE placement_appeals SET status = $2, decided_by = $3, decided_at = $4, reasons = nullif($5, '')
		WHERE id = $1 AND status = 'reconsidering'`, r.AppealID, r.Status, nullable(r.By), r.At, r.Reasons)
	return err
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// OfferOnAppeal records the offer of the school an appeal is about, once the officers changed the
// decision on reconsideration: the child is placed there beyond the school's seats, as the
// changed decision gives it the place the round refused. It answers the offer if it still awaits
// its answer, and the round's id, school type and organiser. None is made when the child was
// offered the school already (from the waiting list, say) or holds a school it ranked higher.
// The round is held meanwhile, as a pass of the waiting list holds it. Idempotent.
func (s Store) OfferOnAppeal(ctx context.Context, appealID string) (open []OfferStart, round, schoolType, organiser string, err error) {
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var child, school string
		var choices []string
		var held *string
		err := tx.QueryRow(ctx, `SELECT a.round_id::text, a.child_id::text, a.school_id::text, r.school_type, r.organiser_id::text,
			  coalesce((SELECT v.choices::text[] FROM applications p JOIN application_versions v ON v.application_id = p.id
			    AND v.version = p.agreed_version WHERE p.round_id = a.round_id AND p.child_id = a.child_id), '{}'),
			  (SELECT h.school_id::text FROM offers h WHERE h.round_id = a.round_id AND h.child_id = a.child_id AND h.status = 'accepted')
			FROM placement_appeals a JOIN enrollment_rounds r ON r.id = a.round_id WHERE a.id = $1 AND a.status = 'changed'
			FOR UPDATE OF r`, appealID).
			Scan(&round, &child, &school, &schoolType, &organiser, &choices, &held)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("There is no such appeal whose decision was changed."))
		}
		if err != nil {
			return err
		}
		rank := func(s string) int {
			if i := slices.Index(choices, s); i >= 0 {
				return i
			}
			return len(choices)
		}
		if held != nil && rank(*held) <= rank(school) {
			return nil // it holds the school, or one it wished for more
		}
		if _, err := tx.Exec(ctx, `INSERT INTO offers (round_id, child_id, school_id, appeal_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, round, child, school, appealID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+offerStartColumns+` FROM offers f
			WHERE f.round_id = $1 AND f.child_id = $2 AND f.school_id = $3 AND f.appeal_id = $4 AND f.status = 'offered'`, round, child, school, appealID)
		if err != nil {
			return err
		}
		open, err = pgx.CollectRows(rows, pgx.RowToStructByPos[OfferStart])
		return err
	})
	return open, round, schoolType, organiser, err
}
