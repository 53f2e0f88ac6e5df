package support

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Store keeps support cases and their appeals (migrations/0022_support.sql).
type Store struct {
	DB *pgxpool.Pool
}

// NewCase is a need signalled by a teacher or mentor.
type NewCase struct {
	ID, PupilID, SchoolID, SignalledBy, Concern string
}

// Signal records a case; recorded again, it stays as it was.
func (s Store) Signal(ctx context.Context, n NewCase) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO support_cases (id, pupil_id, school_unit_id, signalled_by, concern) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO NOTHING`, n.ID, n.PupilID, n.SchoolID, n.SignalledBy, n.Concern)
	return err
}

// Withdraw removes a case whose process never started.
func (s Store) Withdraw(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM support_cases WHERE id = $1`, id)
	return err
}

// Parties answers who takes part in a case.
func (s Store) Parties(ctx context.Context, in Input) (Parties, error) {
	var p Parties
	var err error
	if p.Guardians, err = register.CustodialGuardians(ctx, s.DB, in.PupilID); err != nil {
		return p, err
	}
	mentors, err := register.Mentors(ctx, s.DB, in.PupilID)
	if err != nil {
		return p, err
	}
	if len(mentors) > 0 {
		p.Mentor = mentors[0]
	}
	p.Organiser, err = register.OrganiserOf(ctx, s.DB, in.SchoolID)
	return p, err
}

// BeginInvestigation begins the case's investigation document, a draft with its staff, once:
// asked again, it answers the one begun.
func (s Store) BeginInvestigation(ctx context.Context, inv Investigation) (string, error) {
	var doc string
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var pupil, school string
		var existing *string
		if err := tx.QueryRow(ctx, `SELECT pupil_id::text, school_unit_id::text, investigation_id::text FROM support_cases WHERE id = $1 FOR UPDATE`,
			inv.CaseID).Scan(&pupil, &school, &existing); err != nil {
			return err
		}
		if existing != nil {
			doc = *existing
			return nil
		}
		doc = uuid.NewString()
		if _, err := tx.Exec(ctx, `INSERT INTO documents (id, kind, pupil_id, school_unit_id, created_by) VALUES ($1, 'investigation', $2, $3, $4)`,
			doc, pupil, school, inv.By[0]); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_staff (document_id, person_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
			doc, inv.By); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, fields, body, drafted_by)
			VALUES ($1, 1, '{"need": "", "participation": ""}', '', $2)`, doc, inv.By[0]); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE support_cases SET investigation_id = $2 WHERE id = $1`, inv.CaseID, doc)
		return err
	})
	return doc, err
}

// RecordDecision records a signed decision document as the case's decision. The document must be
// an action programme or a decision not to draw one up, about the case's pupil at its school,
// with a signed version. The same decision recorded again is recorded once; another is a conflict.
func (s Store) RecordDecision(ctx context.Context, caseID, document string) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var fits bool
		var decided *string
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents d WHERE d.id = $2 AND d.pupil_id = c.pupil_id
		      AND d.school_unit_id = c.school_unit_id AND d.kind IN ('action-programme', 'no-programme-decision')
		      AND EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.signed_at IS NOT NULL)),
		    c.decision_id::text
		  FROM support_cases c WHERE c.id = $1 FOR UPDATE`, caseID, document).Scan(&fits, &decided)
		switch {
		case err != nil:
			return err
		case decided != nil && *decided == document:
			return nil // the same decision again: its step may not have been completed the first time
		case decided != nil:
			return errs.E(errs.Conflict, errs.Msg("The case is decided already."))
		case !fits:
			return errs.E(errs.Invalid, errs.Msg("The request has invalid fields."), []errs.FieldError{{Field: "document",
				Detail: "is not a signed action programme, or decision not to draw one up, about this pupil at this school"}})
		}
		_, err = tx.Exec(ctx, `UPDATE support_cases SET decision_id = $2, decided_at = now() WHERE id = $1`, caseID, document)
		return err
	})
}

// Decision answers the case's recorded decision: its kind and, for a programme, the latest
// signed version's follow-up and evaluation dates.
func (s Store) Decision(ctx context.Context, caseID string) (Decision, error) {
	var d Decision
	err := s.DB.QueryRow(ctx, `SELECT d.kind, coalesce(v.fields->>'followUp', ''), coalesce(v.fields->>'evaluation', '')
		FROM support_cases c JOIN documents d ON d.id = c.decision_id
		JOIN LATERAL (SELECT fields FROM document_versions WHERE document_id = d.id AND signed_at IS NOT NULL
		  ORDER BY version DESC LIMIT 1) v ON true
		WHERE c.id = $1`, caseID).Scan(&d.Kind, &d.FollowUp, &d.Evaluation)
	return d, err
}

// Appeal is an appeal of the decision, as the school received it.
type Appeal struct {
	ID         string    `json:"id"`
	ReceivedOn string    `json:"receivedOn" db:"received_on"`
	Note       string    `json:"note"`
	RecordedBy string    `json:"recordedBy" db:"recorded_by"`
	RecordedAt time.Time `json:"recordedAt" db:"recorded_at"`
}

// RecordAppeal records an appeal of a decided case.
func (s Store) RecordAppeal(ctx context.Context, caseID string, a Appeal) error {
	tag, err := s.DB.Exec(ctx, `INSERT INTO support_appeals (id, case_id, received_on, note, recorded_by)
		SELECT $2, id, $3, $4, $5 FROM support_cases WHERE id = $1 AND decision_id IS NOT NULL`, caseID, a.ID, a.ReceivedOn, a.Note, a.RecordedBy)
	if err == nil && tag.RowsAffected() == 0 {
		return errs.E(errs.Conflict, errs.Msg("The case has no decision to appeal yet."))
	}
	return err
}

// Case is a support case as its readers see it.
type Case struct {
	ID            string     `json:"id"`
	ProcessID     string     `json:"processId"`
	Pupil         string     `json:"pupil"`
	SchoolUnit    string     `json:"schoolUnit"`
	SignalledBy   string     `json:"signalledBy"`
	SignalledAt   time.Time  `json:"signalledAt"`
	Concern       *string    `json:"concern"` // the staff's words: null for a guardian
	Investigation *string    `json:"investigation"`
	Decision      *string    `json:"decision"`
	DecidedAt     *time.Time `json:"decidedAt"`
	Appeals       []Appeal   `json:"appeals"`
}

// Case answers a case; withConcern says whether the reader is staff, who read the concern as it
// was written.
func (s Store) Case(ctx context.Context, id string, withConcern bool) (Case, error) {
	var c Case
	err := s.DB.QueryRow(ctx, `SELECT id::text, pupil_id::text, school_unit_id::text, signalled_by::text, signalled_at,
		  CASE WHEN $2 THEN concern END, investigation_id::text, decision_id::text, decided_at
		FROM support_cases WHERE id = $1`, id, withConcern).
		Scan(&c.ID, &c.Pupil, &c.SchoolUnit, &c.SignalledBy, &c.SignalledAt, &c.Concern, &c.Investigation, &c.Decision, &c.DecidedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, errs.E(errs.NotFound, errs.Msg("There is no such support case."))
	}
	if err != nil {
		return c, err
	}
	c.ProcessID = ID(c.Pupil, c.ID)
	c.Appeals, err = collect.All[Appeal](ctx, s.DB, `SELECT id::text, received_on::text, note, recorded_by::text, recorded_at
		FROM support_appeals WHERE case_id = $1 ORDER BY recorded_at`, id)
	return c, err
}

// OpenDecisionTask answers the id of the case's open decision task, or a conflict when the case
// is not at that step.
func (s Store) OpenDecisionTask(ctx context.Context, process string) (string, error) {
	var task string
	err := s.DB.QueryRow(ctx, `SELECT id::text FROM tasks WHERE process_id = $1 AND kind = $2 AND state = 'open'`, process, KindDecide).Scan(&task)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errs.E(errs.Conflict, errs.Msg("The case is not waiting for the principal's decision."))
	}
	return task, err
}
