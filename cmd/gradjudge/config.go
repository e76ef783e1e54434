package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// envPrefix starts the environment variable of every configuration flag.
const envPrefix = "GRADJUDGE_"

// envName is the environment variable that sets flag name: --data-dir is GRADJUDGE_DATA_DIR.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// bindEnv makes every flag of fs settable from its environment variable (lookup, usually
// os.LookupEnv) and names that variable in the flag's usage. Call it after defining the flags and
// before parsing: a flag on the command line still wins over the environment, which wins over the
// default.
func bindEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := envName(f.Name)
		f.Usage += " [$" + env + "]"
		if v, ok := lookup(env); ok && err == nil {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, serr)
			}
		}
	})
	return err
}

// osLookupEnv is os.LookupEnv, the default environment of commands.
func osLookupEnv(key string) (string, bool) { return os.LookupEnv(key) }
