package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"gradjudge/store"
)

// parseCommand binds fs to the environment, parses args and refuses positional arguments. It
// returns the exit code and ok=false when the command should end.
func parseCommand(s stdio, name string, fs *flag.FlagSet, args []string) (int, bool) {
	if err := bindEnv(fs, osLookupEnv); err != nil {
		fmt.Fprintf(s.err, "gradjudge %s: %v\n", name, err)
		return 2, false
	}
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code, false
	}
	if len(pos) > 0 {
		fmt.Fprintf(s.err, "gradjudge %s: unexpected arguments %q\n", name, pos)
		return 2, false
	}
	return 0, true
}

func runMigrate(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("migrate", toolMaxConns)
	var down, yes bool
	fs := newFlagSet(s, "migrate", "[flags]", `
Brings the database schema up to date: River's job tables, then gradjudge's versioned migrations.
serve and worker do the same at start; run it alone to migrate before rolling out new processes.
--down --yes undoes every migration and so deletes all data.`)
	dbFlags(fs, &c)
	fs.BoolVar(&down, "down", false, "undo every migration (needs --yes: deletes all data)")
	fs.BoolVar(&yes, "yes", false, "confirm --down")
	if code, ok := parseCommand(s, "migrate", fs, args); !ok {
		return code
	}
	if err := c.check(); err != nil {
		fmt.Fprintf(s.err, "gradjudge migrate: %v\n", err)
		return 2
	}
	if down && !yes {
		fmt.Fprintln(s.err, "gradjudge migrate: --down deletes all data; add --yes to confirm")
		return 2
	}
	if err := migrate(ctx, s, c, down); err != nil {
		fmt.Fprintf(s.err, "gradjudge migrate: %v\n", err)
		return 1
	}
	return 0
}

func migrate(ctx context.Context, s stdio, c dbConfig, down bool) error {
	db, err := store.Open(ctx, c.storeConfig())
	if err != nil {
		return err
	}
	defer db.Close()
	if down {
		err = db.MigrateDown(ctx)
	} else {
		err = db.Migrate(ctx)
	}
	if err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return errors.Join(errors.New("reading the schema version"), err)
	}
	fmt.Fprintf(s.out, "%s schema at version %d\n", db.Dialect(), v)
	return nil
}
