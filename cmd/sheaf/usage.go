package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// usageError is a command-line mistake: the error and where to read more,
// instead of the command's whole help.
type usageError struct {
	err     error
	command string // "sheaf wallet withdraw"
}

func (e *usageError) Error() string {
	return fmt.Sprintf("%v\nsee %s --help", e.err, e.command)
}

func (e *usageError) Unwrap() error { return e.err }

// withUsageHints makes every command answer a usage error (an unknown flag,
// a malformed value, a missing required flag) with that error and a
// one-line hint; by default urfave/cli prints the whole help.
func withUsageHints(app *cli.App) *cli.App {
	app.OnUsageError = usageHandler(app.Name)
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			path := prefix + " " + cmd.Name
			cmd.OnUsageError = usageHandler(path)
			requiredFlagsWithHint(cmd, path)
			walk(path, cmd.Subcommands)
		}
	}
	walk(app.Name, app.Commands)
	return app
}

func usageHandler(path string) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		// Go's flag package names the flag with one dash.
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			err = fmt.Errorf("unknown flag --%s", strings.TrimPrefix(name, "-"))
		} else if strings.Contains(msg, " for flag -") && !strings.Contains(msg, " for flag --") {
			err = errors.New(strings.Replace(msg, " for flag -", " for flag --", 1))
		}
		return &usageError{err: err, command: path}
	}
}

// requiredFlagsWithHint checks a command's required flags itself: a missing
// one is reported like a usage error (urfave/cli would print the whole
// help). The flag's environment variable counts as set.
func requiredFlagsWithHint(cmd *cli.Command, path string) {
	var required []cli.Flag
	for _, f := range cmd.Flags {
		if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() {
			required = append(required, f)
			if s, ok := f.(*cli.StringFlag); ok {
				s.Required = false
			}
		}
	}
	if len(required) == 0 {
		return
	}
	before := cmd.Before
	cmd.Before = func(c *cli.Context) error {
		for _, f := range required {
			if name := f.Names()[0]; !c.IsSet(name) {
				return &usageError{err: fmt.Errorf("--%s is required", name), command: path}
			}
		}
		if before != nil {
			return before(c)
		}
		return nil
	}
}

var flagRef = regexp.MustCompile(`--([a-z0-9][a-z0-9.-]*[a-z0-9])`)

// explain names the environment variable beside the first mention of each
// flag in an error ("--db.url is required" → "--db.url (or SHEAF_DB_URL)
// is required"), so an operator who configures services through the
// environment knows what to set.
func explain(app *cli.App, err error) string {
	envs := map[string]string{}
	addFlags := func(fs []cli.Flag) {
		for _, f := range fs {
			ev, ok := f.(interface{ GetEnvVars() []string })
			if !ok || len(ev.GetEnvVars()) == 0 {
				continue
			}
			for _, n := range f.Names() {
				envs[n] = ev.GetEnvVars()[0]
			}
		}
	}
	addFlags(app.Flags)
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			addFlags(c.Flags)
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
	msg := err.Error()
	seen := map[string]bool{}
	var out strings.Builder
	last := 0
	for _, m := range flagRef.FindAllStringSubmatchIndex(msg, -1) {
		name := msg[m[2]:m[3]]
		env, ok := envs[name]
		out.WriteString(msg[last:m[1]])
		last = m[1]
		if !ok || seen[name] || strings.Contains(msg, env) {
			continue
		}
		seen[name] = true
		fmt.Fprintf(&out, " (or %s)", env)
	}
	out.WriteString(msg[last:])
	return out.String()
}

// isUsage reports whether err is a command-line mistake.
func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}
