package register

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// The school administrators' changes to the register. Each runs in one transaction that also
// announces the change (Store.change). Who may make each is decided before, by
// register/policy.csv; what the register itself refuses is decided here.

// CustodyFromImport says why custody is not changed by a school: it follows the population
// register (folkbokföringen), and changes only through the register import.
const CustodyFromImport = "comes from the population register and changes only through the register import"

// SetResponsible makes adult responsible for child with relation, over the period from start
// to end (nil: since ever, until further notice), or changes the relation they have. Custody
// (Custody) is neither given nor changed here. Errors: errs.Conflict when the adult has custody
// of the child; errs.Invalid on responsibleId when the adult is not in the register.
func (s Store) SetResponsible(ctx context.Context, child, adult, relation string, start, end *string) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO responsibles (person_id, responsible_id, relation_type, start_date, end_date)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (person_id, responsible_id) DO UPDATE
			SET relation_type = EXCLUDED.relation_type, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date
			WHERE responsibles.relation_type <> $6`,
			child, adult, relation, start, end, Custody)
		if err == nil && tag.RowsAffected() == 0 {
			return errs.E(errs.Conflict, errs.Msg("The adult has custody, which "+CustodyFromImport+"."))
		}
		return unknownReference(err, "responsibleId")
	})
}

// RemoveResponsible ends adult's relation to child. Errors: errs.NotFound when there is none;
// errs.Conflict when it is custody.
func (s Store) RemoveResponsible(ctx context.Context, child, adult string) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		var custody bool
		err := tx.QueryRow(ctx, `SELECT relation_type = $3 FROM responsibles
			WHERE person_id = $1 AND responsible_id::text = $2`, child, adult, Custody).Scan(&custody)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotFound
		}
		if err != nil {
			return err
		}
		if custody {
			return errs.E(errs.Conflict, errs.Msg("Custody "+CustodyFromImport+"."))
		}
		tag, err := tx.Exec(ctx, `DELETE FROM responsibles WHERE person_id = $1 AND responsible_id::text = $2`, child, adult)
		if err == nil && tag.RowsAffected() == 0 {
			return errNotFound
		}
		return err
	})
}

// SetMembership puts the pupil in the group from start to end (nil: until further notice), or
// changes the period they are in it. Only a pupil enrolled or placed at the group's school
// today joins it, since membership gives the group's teachers access to the pupil. Errors:
// errs.Invalid on personId for any other pupil, or a group that is not there.
func (s Store) SetMembership(ctx context.Context, group, pupil, start string, end *string) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO group_memberships (group_id, person_id, start_date, end_date)
			SELECT g.id, $2, $3, $4 FROM groups g
			WHERE g.id = $1 AND (
			  EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = $2 AND e.enroled_at = g.organisation_id AND `+Active("e")+`)
			  OR EXISTS (SELECT 1 FROM placements p WHERE p.child_id = $2 AND p.placed_at = g.organisation_id AND `+Active("p")+`))
			ON CONFLICT (group_id, person_id) DO UPDATE SET start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date`,
			group, pupil, start, end)
		if err == nil && tag.RowsAffected() == 0 {
			return invalidField("personId", "is not a pupil enrolled at the group's school")
		}
		return err
	})
}

// RemoveMembership takes the pupil out of the group. Errors: errs.NotFound when they are not in it.
func (s Store) RemoveMembership(ctx context.Context, group, pupil string) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM group_memberships WHERE group_id = $1 AND person_id::text = $2`, group, pupil)
		if err == nil && tag.RowsAffected() == 0 {
			return errNotFound
		}
		return err
	})
}

// NewDuty is a duty a school's administrator gives.
type NewDuty struct {
	ID, Person, School, Role string
	Signature                *string
	Start                    string  // YYYY-MM-DD
	End                      *string // YYYY-MM-DD; nil: until further notice
}

// AddDuty records the duty. A duty is for the organiser's staff at a school unit: a person with a
// staff record (a duty in force or to come anywhere under the school's huvudman), who comes
// through the import. Not a guardian or any other adult of the register, not a pupil or a
// child, whose school it would open to this school, and not a person with a protection marking.
// Errors: errs.Invalid on person for anyone else, or a school that is not a school unit.
func (s Store) AddDuty(ctx context.Context, d NewDuty) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `WITH RECURSIVE above AS (
			  SELECT id, parent_organisation_id AS parent FROM organisations WHERE id = $3
			  UNION SELECT o.id, o.parent_organisation_id FROM organisations o JOIN above ON o.id = above.parent),
			organiser AS (
			  SELECT id FROM above WHERE parent IS NULL
			  UNION SELECT o.id FROM organisations o JOIN organiser ON o.parent_organisation_id = organiser.id)
			INSERT INTO duties (id, person_id, duty_at, duty_role, signature, start_date, end_date)
			SELECT $1, p.id, o.id, $4, $5, $6, $7 FROM persons p, organisations o
			WHERE p.id = $2 AND o.id = $3 AND o.organisation_type = 'Skolenhet' AND `+Unprotected("p")+`
			  AND EXISTS (SELECT 1 FROM duties d WHERE d.person_id = p.id AND d.duty_at IN (SELECT id FROM organiser)
			              AND (d.end_date IS NULL OR d.end_date >= current_date))
			  AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id)
			  AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.child_id = p.id)`,
			d.ID, d.Person, d.School, d.Role, d.Signature, d.Start, d.End)
		if err == nil && tag.RowsAffected() == 0 {
			return invalidField("person",
				"cannot be given a duty here: only the huvudman's staff without a protection marking, at a school unit")
		}
		return err
	})
}

// EndDuty ends the duty yesterday, so the record of who worked where stays; a duty that has not
// begun is removed. Errors: errs.NotFound when there is none; errs.Conflict for a duty in one of
// the roles importOnly lists (the authority roles of policies), which ends only through the import.
func (s Store) EndDuty(ctx context.Context, id string, importOnly map[string]bool) error {
	return s.change(ctx, func(tx pgx.Tx) error {
		var role string
		err := tx.QueryRow(ctx, `SELECT duty_role FROM duties WHERE id = $1`, id).Scan(&role)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotFound
		}
		if err != nil {
			return err
		}
		if importOnly[role] {
			return errs.E(errs.Conflict, errs.Msg("A "+role+" duty ends only through the register import."))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM duties WHERE id = $1 AND start_date >= current_date`, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE duties SET end_date = current_date - 1
			WHERE id = $1 AND (end_date IS NULL OR end_date >= current_date)`, id)
		return err
	})
}
