// Package skolflow gathers what the kernel and every area of the school keep in their own
// folders but the platform reads as one whole: the database schema's migrations, the
// authorization policy and the messages' templates. An area adds its files by the folder convention below and is found
// without touching a list:
//
//	<area>/migrations/NNNN_what.sql   schema steps; versions are unique across all folders
//	<area>/policy.csv                 who may call the area's routes (see policies/policy.csv)
//	<area>/templates/P.L.txt          the message of purpose P in language L (see notify)
package skolflow

import "embed"

// Migrations holds every folder's migrations/*.sql (store.Migrations orders them).
//
//go:embed */migrations/*.sql
var Migrations embed.FS

// Policies holds every folder's policy.csv: the kernel's policies/policy.csv and the areas'.
//
//go:embed */policy.csv
var Policies embed.FS

// Templates holds every folder's templates/*.txt: the messages the kernel and each area send
// (notify renders them; names are unique across folders).
//
//go:embed */templates/*.txt
var Templates embed.FS
