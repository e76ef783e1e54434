package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
)

// newFlagSet returns a flag set for a subcommand that writes its usage to s.err, headed by the
// command line and a description.
func newFlagSet(s stdio, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gradjudge %s %s\n\n%s\n\nflags:\n", name, synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs, allowing flags after positional arguments. It returns the exit
// code to use when parsing ends the command (0 after --help, 2 on a usage error) and ok=false.
func parseFlags(fs *flag.FlagSet, args []string) (positional []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, false
			}
			return nil, 2, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, 0, true
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// runGroup runs the subcommand of a command group (such as `exercises list`) named by args[0].
// Without one it prints usage: to stdout with exit code 0 for help, to stderr with 2 otherwise.
func runGroup(ctx context.Context, s stdio, usage string, subs map[string]func(context.Context, stdio, []string) int, args []string) int {
	if len(args) > 0 && subs[args[0]] != nil {
		return subs[args[0]](ctx, s, args[1:])
	}
	if len(args) > 0 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
		fmt.Fprintln(s.out, usage)
		return 0
	}
	fmt.Fprintln(s.err, usage)
	return 2
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// listFlag is a flag of comma-separated values, each trimmed of spaces, empty ones dropped. Each
// Set replaces the list (so a flag on the command line replaces the environment's) once check,
// when not nil, accepts it.
type listFlag struct {
	list  *[]string
	check func([]string) error
}

func (f *listFlag) String() string {
	if f == nil || f.list == nil {
		return ""
	}
	return strings.Join(*f.list, ",")
}

func (f *listFlag) Set(s string) error {
	var list []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			list = append(list, v)
		}
	}
	if f.check != nil {
		if err := f.check(list); err != nil {
			return err
		}
	}
	*f.list = list
	return nil
}
