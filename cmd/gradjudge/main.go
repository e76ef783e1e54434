// Command gradjudge is the one binary of the judge: `gradjudge help` lists its subcommands and
// `gradjudge SUBCOMMAND --help` explains each.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its one-line summary and the function that runs it, returning the
// process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, io stdio, args []string) int
}

// stdio is the standard streams a subcommand uses, injected so that tests can drive it.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// commands lists every subcommand. It is built by a function, not kept in a package variable.
func commands() map[string]command {
	return map[string]command{
		"check":     {"grade a Go file for a code exercise, as the server does", runCheck},
		"eval":      {"evaluate a graph program: every node's value and gradient", runEval},
		"exercises": {"list, show and validate the exercise catalog", runExercises},
		"grade":     {"grade answers to one exercise variant read from stdin", runGrade},
		"lti":       {"register LTI 1.3 platforms (LMSs) and rotate the tool's key", runLTI},
		"loadgen":   {"measure numeric submissions graded and stored per second", runLoadgen},
		"mastery":   {"fit the learner model's parameters to a course's data", runMastery},
		"migrate":   {"bring the database schema up to date (or --down)", runMigrate},
		"regrade":   {"judge an exercise's stored answers again against its current version", runRegrade},
		"serve":     {"serve the REST API and judge submissions", runServe},
		"users":     {"add or list user accounts", runUsers},
		"worker":    {"judge queued submissions, serving nothing", runWorker},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, stdio{os.Stdin, os.Stdout, os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}

// dispatch runs the subcommand named by args[0].
func dispatch(ctx context.Context, s stdio, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(s.out, cmds)
		return boolCode(len(args) > 0)
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(s.err, "gradjudge: unknown command %q\n\n", args[0])
		usage(s.err, cmds)
		return 2
	}
	return c.run(ctx, s, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: gradjudge COMMAND [flags]   (gradjudge COMMAND --help for its flags)")
	fmt.Fprintln(w, "\ncommands:")
	for _, name := range sortedKeys(cmds) {
		fmt.Fprintf(w, "  %-10s %s\n", name, cmds[name].summary)
	}
}

// boolCode is 0 for true (success) and 2 (usage error) for false.
func boolCode(ok bool) int {
	if ok {
		return 0
	}
	return 2
}
