// Package migrations holds the versioned SQL of the service's schema, embedded in the binary: one
// directory per database (sqlite/, postgres/), the same version numbers in both, each file with a
// goose Up and Down section. store applies them with goose, together with River's own migrations.
// Migrations are never edited once released: a change is a new file in both directories.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialect names the database a set of migrations is written for.
type Dialect string

// The dialects, named as the directories.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// FS returns the migrations for dialect d, the files at its root; an error for an unknown dialect.
func FS(d Dialect) (fs.FS, error) {
	if d != SQLite && d != Postgres {
		return nil, fmt.Errorf("migrations: unknown dialect %q", d)
	}
	return fs.Sub(files, string(d))
}
