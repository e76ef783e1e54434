package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/app"
	"gradjudge/store"
)

func runUsers(ctx context.Context, s stdio, args []string) int {
	return runGroup(ctx, s, "usage: gradjudge users add --email E --name N --role admin|instructor|student  (password on stdin)\n"+
		"       gradjudge users list",
		map[string]func(context.Context, stdio, []string) int{"add": runUsersAdd, "list": runUsersList}, args)
}

func runUsersAdd(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("users", toolMaxConns)
	var u gradjudge.User
	var role string
	fs := newFlagSet(s, "users add", "--email E --name N --role ROLE < password", `
Creates an account. The password is the first line of standard input, so that it stays out of
the process list and the shell history: printf '%s\n' "$PASSWORD" | gradjudge users add ...`)
	dbFlags(fs, &c)
	fs.StringVar(&u.Email, "email", "", "email address, the login name (required)")
	fs.StringVar(&u.Name, "name", "", "display name")
	fs.StringVar(&role, "role", string(gradjudge.RoleStudent), "admin, instructor or student")
	if code, ok := parseCommand(s, "users add", fs, args); !ok {
		return code
	}
	u.Role = gradjudge.Role(role)
	err := withDB(ctx, c, func(db *store.DB) error {
		core, err := cliCore(db)
		if err != nil {
			return err
		}
		created, err := core.CreateUser(ctx, cliActor(), u, readPassword(s.in))
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "user %d %s (%s) created\n", created.ID, created.Email, created.Role)
		return nil
	})
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge users add: %s\n", cliMessage(err))
		return 1
	}
	return 0
}

func runUsersList(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("users", toolMaxConns)
	fs := newFlagSet(s, "users list", "[flags]", "Lists every account.")
	dbFlags(fs, &c)
	if code, ok := parseCommand(s, "users list", fs, args); !ok {
		return code
	}
	err := withDB(ctx, c, func(db *store.DB) error {
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, u.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	})
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge users list: %s\n", cliMessage(err))
		return 1
	}
	return 0
}

// withDB opens and migrates the database of c and runs fn on it.
func withDB(ctx context.Context, c dbConfig, fn func(*store.DB) error) error {
	if err := c.check(); err != nil {
		return err
	}
	db, err := store.Open(ctx, c.storeConfig())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	return fn(db)
}

// cliMessage is what an operator sees of err: the client message of an application error, the
// whole chain of anything else (the operator may see internals).
func cliMessage(err error) string {
	if gradjudge.ErrorCode(err) != gradjudge.EINTERNAL {
		return gradjudge.ErrorMessage(err)
	}
	return err.Error()
}

// cliActor is who the command line acts as: whoever can run it can open the database, so an
// admin.
func cliActor() gradjudge.User {
	return gradjudge.User{Name: "command line", Role: gradjudge.RoleAdmin}
}

// cliCore is the application core over db, for commands that change what the doors change, so
// that the same rules hold.
func cliCore(db *store.DB) (*app.App, error) {
	cat, err := exercises.Load()
	if err != nil {
		return nil, fmt.Errorf("load exercises: %w", err)
	}
	return app.New(app.Deps{Users: db, Courses: db, Submissions: db, Progress: db, Catalog: cat})
}
