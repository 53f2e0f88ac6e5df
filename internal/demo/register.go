package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/register"
)

// RegisterJSON is the demo register: a huvudman with two schools and a preschool, their
// principals, an administrator, teachers, a huvudman-level officer, pupils (two with a
// protection marking), custodial guardians and a non-custodial responsible adult. People who
// sign in have the principal name <key>@skolflow.test; `skolflow dev` mints tokens for them.
//
//go:embed register.json
var RegisterJSON []byte

// Register decodes the demo register.
func Register() (*register.Document, error) {
	var d register.Document
	dec := json.NewDecoder(bytes.NewReader(RegisterJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo register: %w", err)
	}
	return &d, nil
}

// LoadRegister imports the demo register; a second load changes nothing.
func LoadRegister(ctx context.Context, db *pgxpool.Pool) (register.ImportResult, error) {
	d, err := Register()
	if err != nil {
		return register.ImportResult{}, err
	}
	return register.Import(ctx, db, d)
}
