package register

import (
	"context"

	"github.com/skolflow/skolflow/internal/collect"
)

// TermView is a term (termin) of a school year, as a school's pages show it.
type TermView struct {
	ID          string `json:"id" db:"id"`
	DisplayName string `json:"displayName" db:"display_name"`
	StartDate   string `json:"startDate" db:"start_date"`
	EndDate     string `json:"endDate" db:"end_date"`
}

// SchoolTerms answers the terms of the school years of the school and of the organisations
// above it (its huvudman keeps them), by start date. Terms are public facts: no person in them.
func (s Store) SchoolTerms(ctx context.Context, school string) ([]TermView, error) {
	return collect.All[TermView](ctx, s.DB, `WITH RECURSIVE up(id) AS (
		  SELECT $1::uuid
		  UNION SELECT o.parent_organisation_id FROM organisations o JOIN up ON o.id = up.id
		  WHERE o.parent_organisation_id IS NOT NULL)
		SELECT t.id::text AS id, t.display_name, t.start_date::text AS start_date, t.end_date::text AS end_date
		FROM terms t JOIN school_years y ON y.id = t.school_year_id
		WHERE y.organisation_id IN (SELECT id FROM up)
		ORDER BY t.start_date, t.display_name`, school)
}
