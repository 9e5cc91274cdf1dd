package main

// The deployment artifacts (Dockerfile, docker-compose.yml, deploy/k8s,
// deploy/prometheus, deploy/grafana, docs/operations.md) cannot be run on the
// machines that run the tests. This test keeps them in step with the binary
// instead: every `sheaf <command> --flag` they contain must be a flag of that
// command, every SHEAF_ variable must belong to a flag (of the command the
// container runs, where that is known), every metric they query must be
// registered somewhere in the Go sources, and the wiring between files
// (ports, secrets, scrape targets, the circuit) must agree.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"github.com/sheafrollup/sheaf/l1"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

// cliIndex describes the binary: per command path ("sequencer", "wallet
// new"), its flag names (with aliases) and environment variables.
type cliIndex struct {
	cmds     map[string]*cliCmd
	appFlags map[string]bool
	appEnv   map[string]bool
	allEnv   map[string]bool // every flag's variable, plus those read with os.Getenv
	getenv   map[string]bool
}

type cliCmd struct {
	flags map[string]bool
	env   map[string]bool
	subs  bool
}

func newCLIIndex(t *testing.T) *cliIndex {
	t.Helper()
	app := newApp()
	ix := &cliIndex{cmds: map[string]*cliCmd{}, appFlags: map[string]bool{"help": true, "h": true, "version": true, "v": true},
		appEnv: map[string]bool{}, allEnv: map[string]bool{}, getenv: map[string]bool{}}
	addFlags := func(flags []cli.Flag, names, env map[string]bool) {
		for _, f := range flags {
			for _, n := range f.Names() {
				names[n] = true
			}
			if ev, ok := f.(interface{ GetEnvVars() []string }); ok {
				for _, e := range ev.GetEnvVars() {
					env[e] = true
					ix.allEnv[e] = true
				}
			}
		}
	}
	addFlags(app.Flags, ix.appFlags, ix.appEnv)
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(prefix + " " + c.Name)
			cc := &cliCmd{flags: map[string]bool{"help": true, "h": true}, env: map[string]bool{}, subs: len(c.Subcommands) > 0}
			addFlags(c.Flags, cc.flags, cc.env)
			ix.cmds[path] = cc
			walk(path, c.Subcommands)
		}
	}
	walk("", app.Commands)
	// Variables the code reads directly (not flags), outside tests.
	re := regexp.MustCompile(`Getenv\("(SHEAF_[A-Z0-9_]+)"\)`)
	for _, f := range goSources(t) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(readFile(t, f), -1) {
			ix.getenv[m[1]] = true
			ix.allEnv[m[1]] = true
		}
	}
	if len(ix.cmds) < 10 || !ix.allEnv["SHEAF_DB_URL"] {
		t.Fatalf("CLI index looks wrong: %d commands", len(ix.cmds))
	}
	return ix
}

// knownFor reports whether env configures one of the commands (or the app).
func (ix *cliIndex) knownFor(env string, cmds []string) bool {
	if ix.appEnv[env] || ix.getenv[env] {
		return true
	}
	for _, c := range cmds {
		if cc := ix.cmds[c]; cc != nil && cc.env[env] {
			return true
		}
	}
	return false
}

func goSources(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// shellCommands splits a shell script into simple commands of words. It
// knows quotes, $(...), comments, backslash-newline and the separators
// ; & | and newline: enough for the scripts in the artifacts.
func shellCommands(s string) [][]string {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord := false
	endWord := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	var single, double bool
	depth := 0
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case single:
			if c == '\'' {
				single = false
			} else {
				w.WriteRune(c)
			}
		case c == '\\' && i+1 < len(r) && r[i+1] == '\n':
			i++
		case c == '\\' && i+1 < len(r):
			i++
			w.WriteRune(r[i])
			inWord = true
		case c == '\'' && !double:
			single, inWord = true, true
		case c == '"':
			double, inWord = !double, true
		case c == '$' && i+1 < len(r) && r[i+1] == '(':
			depth++
			i++
			w.WriteString("$(")
			inWord = true
		case c == ')' && depth > 0:
			depth--
			w.WriteRune(c)
		case double || depth > 0:
			w.WriteRune(c)
		case c == '#' && !inWord:
			for i+1 < len(r) && r[i+1] != '\n' {
				i++
			}
		case c == ' ' || c == '\t':
			endWord()
		case c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			endCmd()
		default:
			w.WriteRune(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// reporter is what the checks report to: a *testing.T, or a recorder in
// TestArtifactsChecker.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// invocation is one `sheaf ...` found in an artifact.
type invocation struct {
	where string
	cmd   string // command path, "" for the app itself (sheaf --help)
}

// checkWords checks words[0] == sheaf (or a path to it) and the rest:
// app flags before the command, the command path, then only the command's
// flags. Values are not checked. It returns the command path.
func (ix *cliIndex) checkWords(t reporter, where string, words []string) invocation {
	t.Helper()
	flagName := func(w string) string { return strings.SplitN(strings.TrimLeft(w, "-"), "=", 2)[0] }
	i := 1
	path := ""
	for ; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") {
			if path != "" {
				break
			}
			if !ix.appFlags[flagName(w)] {
				t.Errorf("%s: `sheaf %s`: %s is not a global flag of sheaf (flags of a command go after it)", where, strings.Join(words[1:], " "), w)
			}
			if !strings.Contains(w, "=") && !ix.isBoolFlag(w) && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") && ix.appFlags[flagName(w)] {
				i++ // its value
			}
			continue
		}
		next := strings.TrimSpace(path + " " + w)
		if _, ok := ix.cmds[next]; ok {
			path = next
			continue
		}
		if path == "" || ix.cmds[path].subs {
			t.Errorf("%s: `sheaf %s`: %q is not a command of sheaf", where, strings.Join(words[1:], " "), next)
			return invocation{where, ""}
		}
		break
	}
	if path == "" {
		return invocation{where, ""}
	}
	if path == "config print" && i < len(words) && !strings.HasPrefix(words[i], "-") {
		// sheaf config print COMMAND [FLAGS]: COMMAND's flags.
		inner := ix.checkWords(t, where, append([]string{words[0]}, words[i:]...))
		return invocation{where, inner.cmd}
	}
	cc := ix.cmds[path]
	for ; i < len(words); i++ {
		if w := words[i]; strings.HasPrefix(w, "-") && w != "-" && w != "--" {
			if !cc.flags[flagName(w)] {
				t.Errorf("%s: `sheaf %s`: %s is not a flag of `sheaf %s`", where, path, w, path)
			}
		}
	}
	return invocation{where, path}
}

func (ix *cliIndex) isBoolFlag(w string) bool {
	name := strings.TrimLeft(w, "-")
	for _, f := range newApp().Flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			for _, n := range f.Names() {
				if n == name {
					return true
				}
			}
		}
	}
	return false
}

func isSheaf(w string) bool { return w == "sheaf" || strings.HasSuffix(w, "/sheaf") }

// checkScript checks every sheaf invocation in a shell script and every
// SHEAF_ variable it names; it returns the commands invoked.
func (ix *cliIndex) checkScript(t reporter, where, script string) []string {
	t.Helper()
	var cmds []string
	for _, words := range shellCommands(script) {
		for j, w := range words {
			if isSheaf(w) && (j == 0 || words[j-1] == "exec" || words[j-1] == "sudo" || strings.Contains(words[j-1], "=")) {
				if inv := ix.checkWords(t, where, words[j:]); inv.cmd != "" {
					cmds = append(cmds, inv.cmd)
				}
				break
			}
		}
	}
	for _, v := range sheafVarRE.FindAllString(script, -1) {
		if !ix.allEnv[v] {
			t.Errorf("%s: %s is not a variable of any sheaf flag", where, v)
		}
	}
	return cmds
}

var sheafVarRE = regexp.MustCompile(`\bSHEAF_[A-Z0-9_]+\b`)

// argv runs a container's entrypoint + command: the sheaf commands it
// invokes. A shell entrypoint (sh -c / -ec) runs its script argument; any
// other argv must start with the sheaf binary.
func (ix *cliIndex) checkArgv(t reporter, where string, argv []string) []string {
	t.Helper()
	if len(argv) == 0 {
		return nil
	}
	if base := filepath.Base(argv[0]); base == "sh" || base == "bash" {
		for j := 1; j < len(argv); j++ {
			if strings.HasPrefix(argv[j], "-") && strings.Contains(argv[j], "c") {
				if j+1 < len(argv) {
					return ix.checkScript(t, where, argv[j+1])
				}
			}
		}
		t.Errorf("%s: shell entrypoint without a -c script: %q", where, argv)
		return nil
	}
	if !isSheaf(argv[0]) {
		return nil // not ours (anvil, postgres, ...)
	}
	if inv := ix.checkWords(t, where, argv); inv.cmd != "" {
		return []string{inv.cmd}
	}
	return nil
}

func stringList(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// --- Dockerfile ---------------------------------------------------------

func TestArtifactsDockerfile(t *testing.T) {
	ix := newCLIIndex(t)
	src := readFile(t, filepath.Join(repoRoot, "Dockerfile"))
	var entry []string
	sawBuild := false
	for _, line := range strings.Split(strings.ReplaceAll(src, "\\\n", " "), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "ENTRYPOINT "), strings.HasPrefix(line, "CMD "):
			var argv []string
			if err := json.Unmarshal([]byte(strings.SplitN(line, " ", 2)[1]), &argv); err != nil {
				t.Errorf("Dockerfile: %s: want the exec (JSON) form: %v", line, err)
				continue
			}
			if strings.HasPrefix(line, "ENTRYPOINT") {
				entry = argv
				if len(argv) != 1 || !isSheaf(argv[0]) {
					t.Errorf("Dockerfile: ENTRYPOINT %q: want the sheaf binary alone (compose and k8s pass the command as arguments)", argv)
				}
			} else {
				ix.checkArgv(t, "Dockerfile CMD", append(append([]string{}, entry...), argv...))
			}
		case strings.HasPrefix(line, "ENV "):
			for _, v := range sheafVarRE.FindAllString(line, -1) {
				if !ix.allEnv[v] {
					t.Errorf("Dockerfile: %s: %s is not a variable sheaf reads", line, v)
				}
			}
		case strings.Contains(line, "go build") && strings.Contains(line, "./cmd/sheaf"):
			sawBuild = true
		}
	}
	if entry == nil || !sawBuild {
		t.Errorf("Dockerfile: no ENTRYPOINT (%v) or no `go build ./cmd/sheaf` (%v)", entry, sawBuild)
	}
	if !strings.Contains(src, "NODE_PATH=") {
		t.Error("Dockerfile: the tools image must set NODE_PATH (the binary's embedded compile script finds solc-js through it)")
	}
}

// --- docker-compose.yml ---------------------------------------------------

func TestArtifactsCompose(t *testing.T) {
	ix := newCLIIndex(t)
	var doc struct {
		Services map[string]map[string]any `yaml:"services"`
		Secrets  map[string]struct {
			File string `yaml:"file"`
		} `yaml:"secrets"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(repoRoot, "docker-compose.yml"))), &doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"postgres", "anvil", "init", "sequencer", "prover", "submitter", "watcher", "prometheus", "grafana"} {
		if doc.Services[want] == nil {
			t.Errorf("docker-compose.yml: no service %q", want)
		}
	}
	for name, s := range doc.Secrets {
		if _, err := os.Stat(filepath.Join(repoRoot, s.File)); err != nil {
			t.Errorf("docker-compose.yml: secret %s: %v", name, err)
		}
	}
	metricsPort := map[string]string{} // service -> port of SHEAF_METRICS_ADDR
	circuits := map[string]string{}    // service -> its SHEAF_CIRCUIT_* settings
	ran := map[string]bool{}
	names := sortedKeys(doc.Services)
	for _, name := range names {
		svc := doc.Services[name]
		where := "docker-compose.yml: " + name
		env := map[string]string{}
		switch e := svc["environment"].(type) {
		case map[string]any:
			for k, v := range e {
				env[k] = fmt.Sprint(v)
			}
		case []any:
			for _, kv := range e {
				k, v, _ := strings.Cut(fmt.Sprint(kv), "=")
				env[k] = v
			}
		}
		image := fmt.Sprint(svc["image"])
		ours := strings.HasPrefix(image, "sheaf") || svc["build"] != nil
		// The configuration file SHEAF_CONFIG names, from the host file
		// mounted there: its keys count as the variables they stand for.
		var fromFile map[string]string
		if cfg, ok := env["SHEAF_CONFIG"]; ok {
			host := ""
			for _, v := range stringList(svc["volumes"]) {
				if parts := strings.Split(v, ":"); len(parts) >= 2 && parts[1] == cfg {
					host = parts[0]
				}
			}
			if host == "" {
				t.Errorf("%s: SHEAF_CONFIG %s is not a mounted file", where, cfg)
			} else {
				fromFile = configFileEnv(t, where, filepath.Join(repoRoot, host))
			}
		}
		argv := append(stringList(svc["entrypoint"]), stringList(svc["command"])...)
		if ours && svc["entrypoint"] == nil {
			argv = append([]string{"sheaf"}, stringList(svc["command"])...) // the image's ENTRYPOINT
		}
		cmds := ix.checkArgv(t, where, argv)
		for _, c := range cmds {
			ran[c] = true
		}
		if ours && len(cmds) == 0 {
			t.Errorf("%s: runs the sheaf image but no sheaf command", where)
		}
		for _, s := range stringList(svc["secrets"]) {
			if _, ok := doc.Secrets[s]; !ok {
				t.Errorf("%s: secret %s is not declared", where, s)
			}
		}
		for _, v := range stringList(svc["volumes"]) {
			if src, _, ok := strings.Cut(v, ":"); ok && !strings.ContainsAny(src, "./") {
				if _, ok := doc.Volumes[src]; !ok {
					t.Errorf("%s: volume %s is not declared", where, src)
				}
			}
		}
		var circuit []string
		for _, k := range sortedKeys(env) {
			if !strings.HasPrefix(k, "SHEAF_") {
				continue
			}
			if !ours {
				t.Errorf("%s: %s set on a service that does not run sheaf", where, k)
			} else if !ix.knownFor(k, cmds) {
				t.Errorf("%s: %s is not a variable of `sheaf %s`", where, k, strings.Join(cmds, "`, `sheaf "))
			}
		}
		// A file key applies where one of the commands has the flag; the
		// variables override it.
		for k, v := range fromFile {
			if _, set := env[k]; !set && ix.knownFor(k, cmds) {
				env[k] = v
			}
		}
		for _, k := range sortedKeys(env) {
			if strings.HasPrefix(k, "SHEAF_CIRCUIT_") {
				circuit = append(circuit, k+"="+env[k])
			}
		}
		if len(circuit) > 0 {
			circuits[name] = strings.Join(circuit, " ")
		}
		if addr, ok := env["SHEAF_METRICS_ADDR"]; ok {
			host, port, err := net.SplitHostPort(addr)
			if err != nil || host == "127.0.0.1" || host == "localhost" {
				t.Errorf("%s: SHEAF_METRICS_ADDR %q: Prometheus cannot reach a loopback or invalid address", where, addr)
			}
			metricsPort[name] = port
		} else if ours && len(cmds) == 1 && ix.cmds[cmds[0]].flags["metrics.addr"] {
			t.Errorf("%s: `sheaf %s` without SHEAF_METRICS_ADDR listens on 127.0.0.1 only", where, cmds[0])
		}
	}
	for _, c := range []string{"setup", "deploy", "migrate", "sequencer", "prover", "submitter", "watcher"} {
		if !ran[c] {
			t.Errorf("docker-compose.yml: nothing runs `sheaf %s`", c)
		}
	}
	// One circuit for keys, contract, sequencer and provers.
	var first string
	for _, name := range sortedKeys(circuits) {
		if first == "" {
			first = circuits[name]
		} else if circuits[name] != first {
			t.Errorf("docker-compose.yml: %s has circuit %s, others %s", name, circuits[name], first)
		}
	}
	checkPrometheusTargets(t, metricsPort)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkPrometheusTargets: every compose service with a metrics port is
// scraped at that port, and every target is a compose service.
func checkPrometheusTargets(t *testing.T, metricsPort map[string]string) {
	t.Helper()
	var cfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
			DNSSDConfigs []struct {
				Names []string `yaml:"names"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(repoRoot, "deploy/prometheus/prometheus.yml"))), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, rf := range cfg.RuleFiles {
		if _, err := os.Stat(filepath.Join(repoRoot, "deploy/prometheus", filepath.Base(rf))); err != nil {
			t.Errorf("prometheus.yml: rule file %s: %v", rf, err)
		}
	}
	scraped := map[string]string{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, tg := range st.Targets {
				host, port, err := net.SplitHostPort(tg)
				if err != nil {
					t.Errorf("prometheus.yml: job %s: target %q: %v", sc.JobName, tg, err)
					continue
				}
				scraped[host] = port
			}
		}
		for _, d := range sc.DNSSDConfigs {
			for _, n := range d.Names {
				scraped[n] = fmt.Sprint(d.Port)
			}
		}
	}
	for svc, port := range metricsPort {
		if got, ok := scraped[svc]; !ok {
			t.Errorf("prometheus.yml: compose service %s serves /metrics on :%s but is not scraped", svc, port)
		} else if got != port {
			t.Errorf("prometheus.yml: %s scraped on :%s, it listens on :%s", svc, got, port)
		}
	}
	for host := range scraped {
		if _, ok := metricsPort[host]; !ok && host != "localhost" {
			t.Errorf("prometheus.yml: target %s is not a compose service with SHEAF_METRICS_ADDR", host)
		}
	}
}

// --- Kubernetes -------------------------------------------------------------

func TestArtifactsKubernetes(t *testing.T) {
	ix := newCLIIndex(t)
	files, err := filepath.Glob(filepath.Join(repoRoot, "deploy/k8s/*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests under deploy/k8s: %v", err)
	}
	type object struct {
		file string
		m    map[string]any
	}
	var objs []object
	for _, f := range files {
		dec := yaml.NewDecoder(bytes.NewReader([]byte(readFile(t, f))))
		for {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", f, err)
			}
			if m != nil {
				objs = append(objs, object{filepath.Base(f), m})
			}
		}
	}
	configMaps := map[string]map[string]any{}
	secrets := map[string]map[string]any{}
	kinds := map[string]int{}
	for _, o := range objs {
		kind := fmt.Sprint(o.m["kind"])
		kinds[kind]++
		name := fmt.Sprint(asMap(o.m["metadata"])["name"])
		switch kind {
		case "ConfigMap":
			configMaps[name] = asMap(o.m["data"])
		case "Secret":
			d := asMap(o.m["stringData"])
			if d == nil {
				d = asMap(o.m["data"])
			}
			secrets[name] = d
		}
	}
	for _, k := range []string{"Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Job"} {
		if kinds[k] == 0 {
			t.Errorf("deploy/k8s: no %s", k)
		}
	}
	// Every SHEAF_ key of a ConfigMap or Secret is some flag's variable.
	for _, set := range []map[string]map[string]any{configMaps, secrets} {
		for name, data := range set {
			for k := range data {
				if strings.HasPrefix(k, "SHEAF_") && !ix.allEnv[k] {
					t.Errorf("deploy/k8s: %s: key %s is not a variable of any sheaf flag", name, k)
				}
			}
		}
	}
	ran := map[string]int{}
	for _, o := range objs {
		kind := fmt.Sprint(o.m["kind"])
		spec := asMap(o.m["spec"])
		if kind != "Deployment" && kind != "StatefulSet" && kind != "Job" && kind != "DaemonSet" {
			continue
		}
		name := fmt.Sprint(asMap(o.m["metadata"])["name"])
		pod := asMap(asMap(spec["template"])["spec"])
		var containers []any
		if cs, ok := pod["initContainers"].([]any); ok {
			containers = append(containers, cs...)
		}
		if cs, ok := pod["containers"].([]any); ok {
			containers = append(containers, cs...)
		}
		for _, c := range containers {
			c := asMap(c)
			where := fmt.Sprintf("deploy/k8s/%s: %s %s container %s", o.file, kind, name, c["name"])
			if !strings.Contains(fmt.Sprint(c["image"]), "sheaf") {
				continue
			}
			argv := stringList(c["command"])
			if argv == nil {
				argv = []string{"sheaf"}
			}
			argv = append(argv, stringList(c["args"])...)
			cmds := ix.checkArgv(t, where, argv)
			if len(cmds) == 0 {
				t.Errorf("%s: runs no sheaf command", where)
			}
			for _, cmd := range cmds {
				ran[cmd]++
			}
			effective := map[string]string{}
			for _, ef := range stringListOfMaps(c["envFrom"]) {
				if ref := asMap(ef["configMapRef"]); ref != nil {
					data, ok := configMaps[fmt.Sprint(ref["name"])]
					if !ok {
						t.Errorf("%s: envFrom ConfigMap %v is not defined", where, ref["name"])
					}
					for k, v := range data {
						effective[k] = fmt.Sprint(v)
					}
				}
				if ref := asMap(ef["secretRef"]); ref != nil {
					if _, ok := secrets[fmt.Sprint(ref["name"])]; !ok {
						t.Errorf("%s: envFrom Secret %v is not defined", where, ref["name"])
					}
				}
			}
			for _, e := range stringListOfMaps(c["env"]) {
				k := fmt.Sprint(e["name"])
				if strings.HasPrefix(k, "SHEAF_") && !ix.knownFor(k, cmds) {
					t.Errorf("%s: %s is not a variable of `sheaf %s`", where, k, strings.Join(cmds, " / "))
				}
				effective[k] = fmt.Sprint(e["value"])
				if vf := asMap(e["valueFrom"]); vf != nil {
					checkKeyRef(t, where, k, asMap(vf["configMapKeyRef"]), configMaps)
					checkKeyRef(t, where, k, asMap(vf["secretKeyRef"]), secrets)
				}
			}
			// The configuration file: a ConfigMap key mounted where
			// SHEAF_CONFIG points; its keys count as their variables.
			if cfg := effective["SHEAF_CONFIG"]; cfg != "" {
				data, ok := mountedConfigMapFile(pod, c, cfg, configMaps)
				if !ok {
					t.Errorf("%s: SHEAF_CONFIG %s is not a mounted ConfigMap key", where, cfg)
				}
				for k, v := range configDataEnv(t, where, data) {
					if _, set := effective[k]; !set && ix.knownFor(k, cmds) {
						effective[k] = v
					}
				}
			}
			// Probes and the metrics port must meet SHEAF_METRICS_ADDR.
			ports := map[string]string{}
			for _, p := range stringListOfMaps(c["ports"]) {
				ports[fmt.Sprint(p["name"])] = fmt.Sprint(p["containerPort"])
			}
			for _, probe := range []string{"livenessProbe", "readinessProbe", "startupProbe"} {
				get := asMap(asMap(c[probe])["httpGet"])
				if get == nil {
					continue
				}
				if probe == "readinessProbe" && get["path"] != "/readyz" || probe != "readinessProbe" && get["path"] != "/healthz" {
					t.Errorf("%s: %s path %v", where, probe, get["path"])
				}
				port := fmt.Sprint(get["port"])
				if p, ok := ports[port]; ok {
					port = p
				}
				_, mport, err := net.SplitHostPort(effective["SHEAF_METRICS_ADDR"])
				if err != nil || mport != port {
					t.Errorf("%s: %s on port %s, but SHEAF_METRICS_ADDR is %q", where, probe, port, effective["SHEAF_METRICS_ADDR"])
				}
			}
			if kind != "Job" && (c["readinessProbe"] == nil || c["livenessProbe"] == nil || c["resources"] == nil) {
				t.Errorf("%s: want readiness and liveness probes and resources", where)
			}
			if effective["SHEAF_DEPLOY_FILE"] != "" && effective["SHEAF_L1_CONTRACT"] != "" && !(len(cmds) == 1 && cmds[0] == "sequencer") {
				t.Errorf("%s: both SHEAF_DEPLOY_FILE and SHEAF_L1_CONTRACT: `sheaf %v` refuses that", where, cmds)
			}
		}
		if kind == "Deployment" {
			if r, ok := spec["replicas"].(int); ok && r != 1 && name != "sheaf-prover" {
				t.Errorf("deploy/k8s: %s: %d replicas: only provers scale (a second sequencer, submitter or watcher is a standby)", name, r)
			}
		}
	}
	for _, c := range []string{"migrate", "sequencer", "prover", "submitter", "watcher"} {
		if ran[c] == 0 {
			t.Errorf("deploy/k8s: nothing runs `sheaf %s`", c)
		}
	}
	// The placeholder deployment file has the shape `sheaf deploy` writes and
	// the circuit of the shared configuration.
	dep := configMaps["sheaf-deployment"]
	var f l1.DeploymentFile
	d := json.NewDecoder(strings.NewReader(fmt.Sprint(dep["deployment.json"])))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		t.Errorf("deploy/k8s: sheaf-deployment deployment.json: %v", err)
	}
	cfg := configDataEnv(t, "deploy/k8s: sheaf-config", fmt.Sprint(configMaps["sheaf-config"]["sheaf.yaml"]))
	if got := fmt.Sprintf("%v/%v/%v/%v", cfg["SHEAF_CIRCUIT_DEPTH"], cfg["SHEAF_CIRCUIT_DEPOSITS"], cfg["SHEAF_CIRCUIT_TRANSFERS"], cfg["SHEAF_CIRCUIT_WITHDRAWALS"]); got !=
		fmt.Sprintf("%d/%d/%d/%d", f.Circuit.Depth, f.Circuit.Deposits, f.Circuit.Transfers, f.Circuit.Withdrawals) {
		t.Errorf("deploy/k8s: sheaf-config circuit %s differs from the deployment file's %+v", got, f.Circuit)
	}
}

// configFileEnv reads a configuration file as sheaf does (an unknown key
// is an error) and returns its values under their variables' names.
func configFileEnv(t *testing.T, where, path string) map[string]string {
	t.Helper()
	return configDataEnv(t, where, readFile(t, path))
}

func configDataEnv(t *testing.T, where, data string) map[string]string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sheaf.yaml")
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	values, err := readConfig(p)
	if err != nil {
		t.Errorf("%s: %v", where, err)
	}
	known := knownKeys(newApp())
	out := map[string]string{}
	for k, v := range values {
		if !known[k] {
			t.Errorf("%s: configuration key %q is no flag of sheaf", where, k)
		}
		out[env(k)[0]] = strings.Join(v, ",")
	}
	return out
}

// mountedConfigMapFile finds the ConfigMap key that container c sees at
// path (a configMap or projected volume).
func mountedConfigMapFile(pod, c map[string]any, path string, configMaps map[string]map[string]any) (string, bool) {
	for _, m := range stringListOfMaps(c["volumeMounts"]) {
		dir := fmt.Sprint(m["mountPath"])
		rel, ok := strings.CutPrefix(path, strings.TrimSuffix(dir, "/")+"/")
		if !ok {
			continue
		}
		for _, v := range stringListOfMaps(pod["volumes"]) {
			if v["name"] != m["name"] {
				continue
			}
			var sources []map[string]any
			if cm := asMap(v["configMap"]); cm != nil {
				sources = append(sources, cm)
			}
			for _, src := range stringListOfMaps(asMap(v["projected"])["sources"]) {
				if cm := asMap(src["configMap"]); cm != nil {
					sources = append(sources, cm)
				}
			}
			for _, cm := range sources {
				for _, it := range stringListOfMaps(cm["items"]) {
					if it["path"] == rel {
						data, ok := configMaps[fmt.Sprint(cm["name"])][fmt.Sprint(it["key"])]
						return fmt.Sprint(data), ok
					}
				}
			}
		}
	}
	return "", false
}

func stringListOfMaps(v any) []map[string]any {
	var out []map[string]any
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if m := asMap(x); m != nil {
				out = append(out, m)
			}
		}
	}
	return out
}

func checkKeyRef(t *testing.T, where, env string, ref map[string]any, set map[string]map[string]any) {
	t.Helper()
	if ref == nil {
		return
	}
	data, ok := set[fmt.Sprint(ref["name"])]
	if !ok {
		t.Errorf("%s: %s refers to %v, which is not defined", where, env, ref["name"])
		return
	}
	if _, ok := data[fmt.Sprint(ref["key"])]; !ok {
		t.Errorf("%s: %s refers to key %v of %v, which has no such key", where, env, ref["key"], ref["name"])
	}
}

// --- metrics ----------------------------------------------------------------

func TestArtifactsMetrics(t *testing.T) {
	defined := map[string]bool{}
	re := regexp.MustCompile(`Name:\s*"(sheaf_[a-z0-9_]+)"`)
	for _, f := range goSources(t) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(readFile(t, f), -1) {
			defined[m[1]] = true
		}
	}
	if !defined["sheaf_prover_proof_seconds"] {
		t.Fatalf("found no metric definitions (%d)", len(defined))
	}
	use := regexp.MustCompile(`\bsheaf_[a-z0-9_]+`)
	files := []string{"deploy/grafana/dashboards/sheaf.json", "deploy/prometheus/alerts.yml", "deploy/k8s/prover-hpa.yaml", "docs/operations.md"}
	for _, f := range files {
		src := readFile(t, filepath.Join(repoRoot, f))
		if strings.HasSuffix(f, ".json") {
			var v any
			if err := json.Unmarshal([]byte(src), &v); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
		for _, m := range use.FindAllString(src, -1) {
			base := m
			for _, suf := range []string{"_bucket", "_count", "_sum"} {
				if b := strings.TrimSuffix(m, suf); b != m && defined[b] {
					base = b
				}
			}
			if !defined[base] {
				t.Errorf("%s: metric %s is not registered anywhere in the Go sources", f, m)
			}
		}
	}
	// The dashboard shows what the issue asks for.
	dash := readFile(t, filepath.Join(repoRoot, "deploy/grafana/dashboards/sheaf.json"))
	for _, want := range []string{`sheaf_sequencer_transactions_total{result=\"accepted\"}`, "sheaf_sequencer_mempool_transactions",
		"sheaf_sequencer_batches_sealed_total", "sheaf_prover_proof_seconds_bucket", "sheaf_submitter_gas_paid_total",
		"sheaf_submitter_proven_to_finalized_seconds_bucket", "sheaf_prover_queue_depth", "sheaf_prover_failed_batches"} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard: no panel uses %s", want)
		}
	}
}

// --- docs -------------------------------------------------------------------

// TestArtifactsDocs checks the sheaf invocations in the fenced code blocks of
// the operator guide.
func TestArtifactsDocs(t *testing.T) {
	ix := newCLIIndex(t)
	for _, f := range []string{"docs/operations.md"} {
		src := readFile(t, filepath.Join(repoRoot, f))
		in := false
		var block strings.Builder
		n := 0
		for _, line := range strings.Split(src, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				if in {
					n++
					ix.checkScript(t, fmt.Sprintf("%s block %d", f, n), block.String())
					block.Reset()
				}
				in = !in
				continue
			}
			if in {
				block.WriteString(line + "\n")
			}
		}
		if n == 0 {
			t.Errorf("%s: no code blocks", f)
		}
	}
}

// TestArtifactsChecker makes sure the checks above catch what they are for.
func TestArtifactsChecker(t *testing.T) {
	ix := newCLIIndex(t)
	got := shellCommands("f=x # comment\nexport A=\"$(cat /x)\"; exec sheaf sequencer \\\n  --l1.contract \"$(sed -n 's/a b/c/p' \"$f\")\" --db.url=$A && sheaf prover")
	want := [][]string{{"f=x"}, {"export", "A=$(cat /x)"}, {"exec", "sheaf", "sequencer", "--l1.contract", "$(sed -n 's/a b/c/p' $f)", "--db.url=$A"}, {"sheaf", "prover"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("shellCommands:\n got %q\nwant %q", got, want)
	}
	for _, tc := range []struct {
		script string
		bad    bool
	}{
		{"sheaf sequencer --db.url x --l1.chain-id 1", false},
		{"sheaf --log.format json prover --prover.keys-dir k", false},
		{"sheaf wallet new --wallet.file a.json", false},
		{"sheaf sequencer --db.uri x", true},               // renamed flag
		{"sheaf prover --submitter.confirmations 2", true}, // another command's flag
		{"sheaf sequencer --log.level debug", true},        // global flag after the command
		{"sheaf provers", true},                            // no such command
		{"echo $SHEAF_DB_URL_FILE", true},                  // no such variable
	} {
		var r recorder
		ix.checkScript(&r, "case", tc.script)
		if (len(r.errs) > 0) != tc.bad {
			t.Errorf("%q: errors %q, want failure %v", tc.script, r.errs, tc.bad)
		}
	}
}
