package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"
)

// A configuration file sets flags by their dotted names, flat
// ("db.url: ...") or nested ("db: {url: ...}"), for every command: one
// file can serve every service, each taking the keys of its own flags. A
// key that no command knows is an error. Precedence: flag > SHEAF_
// variable > file > default (a variable set empty counts as set, as
// urfave/cli reads it).

const configFlagName = "config"

func configFlag() cli.Flag {
	return &cli.StringFlag{Name: configFlagName, Usage: "YAML configuration file: keys are flag names (db.url, or db: {url: ...}); flags and SHEAF_ variables override it", EnvVars: env(configFlagName)}
}

// withConfig gives every command that runs something a --config flag and
// applies the file before the command's own checks.
func withConfig(app *cli.App) *cli.App {
	known := knownKeys(app)
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			walk(cmd.Subcommands)
			if cmd.Action == nil || len(cmd.Subcommands) > 0 || cmd.SkipFlagParsing {
				continue
			}
			cmd.Flags = append(cmd.Flags, configFlag())
			before := cmd.Before
			cmd.Before = func(c *cli.Context) error {
				if err := applyConfig(c, known); err != nil {
					return err
				}
				if before != nil {
					return before(c)
				}
				return nil
			}
		}
	}
	walk(app.Commands)
	return app
}

// Where a flag's effective value came from.
const (
	sourceFlag    = "flag"
	sourceEnv     = "env"
	sourceFile    = "file"
	sourceDefault = "default"
)

// configSources is where config print finds each flag's source.
const configSources = "config.sources"

// applyConfig sets the flags of c's command (and of the commands above
// it) that the file names and neither a flag nor a variable set.
func applyConfig(c *cli.Context, known map[string]bool) error {
	sources := map[string]string{}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]interface{}{}
	}
	c.App.Metadata[configSources] = sources
	file := c.String(configFlagName)
	var values map[string][]string
	if file != "" {
		var err error
		if values, err = readConfig(file); err != nil {
			return err
		}
		for k := range values {
			switch {
			case k == configFlagName:
				return fmt.Errorf("config %s: unknown key %q (a configuration file cannot name another)", file, k)
			case !known[k]:
				return fmt.Errorf("config %s: unknown key %q (no sheaf command has a flag --%s)", file, k, k)
			}
		}
	}
	for _, f := range lineageFlags(c) {
		names := f.Names()
		name := names[0]
		if name == configFlagName || name == "help" || name == "version" {
			continue
		}
		if src, ok := setSource(c, f); ok {
			sources[name] = src
			continue
		}
		sources[name] = sourceDefault
		var vals []string
		var key string
		for _, n := range names { // the name or an alias
			if v, ok := values[n]; ok {
				if vals != nil {
					return fmt.Errorf("config %s: keys %q and %q both set --%s", file, key, n, name)
				}
				vals, key = v, n
			}
		}
		if vals == nil {
			continue
		}
		if len(vals) > 1 && !isSlice(f) {
			return fmt.Errorf("config %s: key %q: a list for a flag that takes one value", file, key)
		}
		for _, v := range vals {
			if err := c.Set(name, v); err != nil {
				return fmt.Errorf("config %s: key %q: %w", file, key, err)
			}
		}
		sources[name] = sourceFile
	}
	return nil
}

// lineageFlags are the flags c's command can read: its own and those of
// the commands and app above it, nearest first, each name once.
func lineageFlags(c *cli.Context) []cli.Flag {
	var out []cli.Flag
	seen := map[string]bool{}
	add := func(fs []cli.Flag) {
		for _, f := range fs {
			if n := f.Names()[0]; !seen[n] {
				seen[n] = true
				out = append(out, f)
			}
		}
	}
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil {
			add(ctx.Command.Flags)
		}
	}
	add(c.App.Flags)
	return out
}

// setSource says whether a flag or a variable set f, and which: c.IsSet
// counts both; a variable that is present and holds the flag's value is
// taken as the source (a flag giving the same value changes nothing).
func setSource(c *cli.Context, f cli.Flag) (string, bool) {
	set := false
	for _, n := range f.Names() {
		set = set || c.IsSet(n)
	}
	if !set {
		return "", false
	}
	if ev, ok := f.(interface{ GetEnvVars() []string }); ok {
		for _, e := range ev.GetEnvVars() {
			if v, found := os.LookupEnv(e); found && (isSlice(f) || v == fmt.Sprint(c.Value(f.Names()[0]))) {
				return sourceEnv, true
			}
		}
	}
	return sourceFlag, true
}

func isSlice(f cli.Flag) bool {
	switch f.(type) {
	case *cli.StringSliceFlag, *cli.IntSliceFlag, *cli.Int64SliceFlag, *cli.Uint64SliceFlag, *cli.UintSliceFlag, *cli.Float64SliceFlag:
		return true
	}
	return false
}

// readConfig reads a YAML file into dotted keys and their values (one,
// or a list's items).
func readConfig(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	out := map[string][]string{}
	if len(doc.Content) == 0 { // an empty file
		return out, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config %s: the file must be a mapping of flag names to values", path)
	}
	if err := flatten(root, "", out); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return out, nil
}

func flatten(n *yaml.Node, prefix string, out map[string][]string) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			return fmt.Errorf("line %d: a key must be a name", k.Line)
		}
		key := k.Value
		if prefix != "" {
			key = prefix + "." + key
		}
		switch v.Kind {
		case yaml.MappingNode:
			if err := flatten(v, key, out); err != nil {
				return err
			}
			continue
		case yaml.AliasNode:
			return fmt.Errorf("line %d: key %q: aliases are not supported", k.Line, key)
		}
		if _, dup := out[key]; dup {
			return fmt.Errorf("line %d: key %q given twice (flat and nested?)", k.Line, key)
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				continue // "key:" with no value: unset
			}
			out[key] = []string{v.Value}
		case yaml.SequenceNode:
			vals := []string{}
			for _, it := range v.Content {
				if it.Kind != yaml.ScalarNode {
					return fmt.Errorf("line %d: key %q: list items must be values", it.Line, key)
				}
				vals = append(vals, it.Value)
			}
			out[key] = vals
		}
	}
	return nil
}

// secretWords in a flag name mark its value secret; a name ending in
// -file, -dir or -index names where a secret is, not the secret.
var secretWords = []string{"key", "password", "secret", "token", "passphrase", "mnemonic"}

func secretName(name string) bool {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	if len(words) > 0 && slices.Contains([]string{"file", "dir", "index", "path"}, words[len(words)-1]) {
		return false
	}
	for _, w := range words {
		if slices.Contains(secretWords, w) {
			return true
		}
	}
	return false
}

const redacted = "REDACTED"

// redact hides a secret flag's value, and in any value that is a URL its
// password (postgres://user:pw@host/db) and password-like query parameters.
func redact(name, value string) string {
	if value == "" {
		return value
	}
	if secretName(name) {
		return redacted
	}
	u, err := url.Parse(value)
	if err != nil || u.Scheme == "" {
		return value
	}
	changed := false
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), redacted)
		changed = true
	}
	q := u.Query()
	for k := range q {
		if secretName(k) {
			q.Set(k, redacted)
			changed = true
		}
	}
	if !changed {
		return value
	}
	u.RawQuery = q.Encode()
	return strings.Replace(u.String(), url.QueryEscape(redacted), redacted, -1)
}

// configCommand: sheaf config print COMMAND [FLAGS] runs COMMAND's
// configuration steps (flags, variables, --config) and prints the result
// instead of running it.
func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "configuration files",
		Subcommands: []*cli.Command{{
			Name:            "print",
			Usage:           "print a command's effective configuration (secrets redacted): sheaf config print sequencer --config sheaf.yaml",
			ArgsUsage:       "COMMAND [FLAGS]",
			SkipFlagParsing: true,
			Action: func(c *cli.Context) error {
				args := c.Args().Slice()
				if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
					return cli.ShowSubcommandHelp(c)
				}
				if len(args) == 0 || strings.HasPrefix(args[0], "-") {
					return &usageError{err: errors.New("name the command whose configuration to print (e.g. sequencer)"), command: "sheaf config print"}
				}
				app := newApp()
				app.Writer, app.ErrWriter = c.App.Writer, c.App.ErrWriter
				cmds, path := app.Commands, []string{}
				var leaf *cli.Command
				for _, a := range args {
					var next *cli.Command
					for _, cmd := range cmds {
						if cmd.HasName(a) {
							next = cmd
						}
					}
					if next == nil {
						break
					}
					leaf, cmds, path = next, next.Subcommands, append(path, a)
				}
				if leaf == nil || leaf.Action == nil || len(leaf.Subcommands) > 0 || leaf.Name == "config" {
					return &usageError{err: fmt.Errorf("%q is not a command that runs", strings.Join(args, " ")), command: "sheaf config print"}
				}
				// Print, without the command's own checks (a required flag
				// left unset shows as empty).
				leaf.Before = func(c *cli.Context) error { return applyConfig(c, knownKeys(app)) }
				for _, f := range leaf.Flags {
					if r := reflect.ValueOf(f).Elem().FieldByName("Required"); r.IsValid() && r.CanSet() {
						r.SetBool(false)
					}
				}
				leaf.Action = func(c *cli.Context) error { return printConfig(c) }
				return app.RunContext(c.Context, append([]string{"sheaf"}, args...))
			},
		}},
	}
}

// knownKeys are every command's flag names.
func knownKeys(app *cli.App) map[string]bool {
	known := map[string]bool{}
	var walk func([]*cli.Command)
	add := func(fs []cli.Flag) {
		for _, f := range fs {
			for _, n := range f.Names() {
				known[n] = true
			}
		}
	}
	add(app.Flags)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			add(cmd.Flags)
			walk(cmd.Subcommands)
		}
	}
	walk(app.Commands)
	delete(known, configFlagName)
	return known
}

// printConfig writes c's effective flag values as YAML, flat keys sorted,
// each with its source in a comment.
func printConfig(c *cli.Context) error {
	sources, _ := c.App.Metadata[configSources].(map[string]string)
	var names []string
	flags := map[string]cli.Flag{}
	for _, f := range lineageFlags(c) {
		n := f.Names()[0]
		if n == configFlagName || n == "help" || n == "version" {
			continue
		}
		names = append(names, n)
		flags[n] = f
	}
	sort.Strings(names)
	w := c.App.Writer
	if file := c.String(configFlagName); file != "" {
		fmt.Fprintf(w, "# effective configuration of %s (file %s)\n", c.Command.HelpName, file)
	} else {
		fmt.Fprintf(w, "# effective configuration of %s\n", c.Command.HelpName)
	}
	for _, n := range names {
		var val any
		switch flags[n].(type) {
		case *cli.StringSliceFlag:
			vs := c.StringSlice(n)
			for i := range vs {
				vs[i] = redact(n, vs[i])
			}
			val = vs
		case *cli.IntSliceFlag:
			val = c.IntSlice(n)
		default:
			val = redact(n, fmt.Sprint(c.Value(n)))
		}
		// One line per key: lists in flow style.
		node := &yaml.Node{}
		if err := node.Encode(val); err != nil {
			return err
		}
		node.Style = yaml.FlowStyle
		b, err := yaml.Marshal(map[string]*yaml.Node{n: node})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s  # %s\n", strings.TrimRight(string(b), "\n"), sources[n])
	}
	return nil
}
