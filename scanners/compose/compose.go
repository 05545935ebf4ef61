// Package compose reads Docker Compose files and lowers each service onto
// the model as one workload with one container, as `docker compose config`
// would see it: YAML anchors and merge keys, `${VAR}` interpolation from the
// .env file beside the compose file, `extends` (same file and local other
// file), short and long volume syntax, env files, and the service settings
// that give a container host reach (network_mode, pid, ipc, uts,
// userns_mode, privileged, cap_add, security_opt, devices, user,
// read_only, use_api_socket). Positions come from the YAML node tree.
package compose

import (
	"bytes"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// fileName matches the names Compose looks for and their variants:
// compose.yaml, docker-compose.yml, compose.override.yaml,
// docker-compose.prod.yml, docker-compose.ci.override.yaml, and the
// common docker-compose-dev.yml.
var fileName = regexp.MustCompile(`(?i)^(?:docker-compose(?:[.-][a-z0-9_-]+)*|compose(?:\.[a-z0-9_-]+)*)\.ya?ml$`)

// ClaimPath claims the well-known compose file names.
func ClaimPath(p string) bool {
	return fileName.MatchString(path.Base(p))
}

// MayHold reports whether a file could be a compose file worth sniffing:
// YAML or JSON, and not a Helm values file or an Ansible variables file,
// which may hold a `services:` mapping of their own.
func MayHold(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml", ".json":
	default:
		return false
	}
	base := strings.ToLower(path.Base(p))
	if base == "values.yaml" || base == "values.yml" || strings.HasPrefix(base, "values-") || strings.HasPrefix(base, "values.") || base == ".gitlab-ci.yml" {
		return false
	}
	for _, dir := range strings.Split(path.Dir(p), "/") {
		switch dir {
		case "group_vars", "host_vars", "templates", "workflows":
			return false
		}
	}
	return true
}

// topLevelKeys are the keys the Compose specification allows at the top
// of a file (besides x- extensions).
var topLevelKeys = map[string]bool{
	"version": true, "name": true, "services": true, "networks": true, "volumes": true,
	"secrets": true, "configs": true, "include": true, "models": true, "jobs": true,
}

// serviceKeys are the keys of a service in the Compose specification, and
// the few legacy ones Compose still tolerates.
var serviceKeys = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`annotations attach blkio_config build cap_add cap_drop cgroup
		cgroup_parent command configs container_name cpu_count cpu_percent cpu_period cpu_quota
		cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on deploy develop
		device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file environment
		expose extends external_links extra_hosts gpus group_add healthcheck hostname image init ipc
		isolation label_file labels links logging mac_address mem_limit mem_reservation mem_swappiness
		memswap_limit models network_mode networks oom_kill_disable oom_score_adj pid pids_limit
		platform ports post_start pre_start pre_stop privileged profiles provider pull_policy
		pull_refresh_after read_only restart runtime scale secrets security_opt shm_size stdin_open
		stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits umask use_api_socket user
		userns_mode uts volumes volumes_from working_dir
		net dockerfile log_driver log_opt volume_driver cpu_shares mem_swappiness`) {
		serviceKeys[k] = true
	}
}

// maxSniffDocs bounds how many documents of a file the sniffer parses.
const maxSniffDocs = 4

// Sniff reports whether content is a compose file: a YAML mapping whose
// top-level keys are all Compose keys, with a `services:` mapping whose
// entries are service definitions (only Compose service keys, and at least
// one service with an image, a build or an extends). Kubernetes manifests,
// GitLab CI files, Helm values and Ansible variables have other keys.
func Sniff(content []byte) bool {
	n := 0
	for _, raw := range yamldoc.Split(content) {
		if !mentionsServices(raw.Bytes) {
			continue
		}
		if n++; n > maxSniffDocs {
			return false
		}
		doc, err := yamldoc.Parse("", raw)
		if err != nil {
			continue
		}
		if looksLikeCompose(doc.Value()) {
			return true
		}
	}
	return false
}

// mentionsServices is a cheap pre-check: a "services:" key at column 0, or
// a flow (JSON) document that mentions it.
func mentionsServices(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		return bytes.Contains(b, []byte(`services`))
	}
	for len(b) > 0 {
		var l []byte
		l, b = yamldoc.CutLine(b)
		for _, k := range [][]byte{[]byte("services:"), []byte(`"services":`), []byte(`'services':`)} {
			if bytes.HasPrefix(l, k) && (len(l) == len(k) || l[len(k)] == ' ' || l[len(k)] == '\t') {
				return true
			}
		}
	}
	return false
}

func looksLikeCompose(root yamldoc.Value) bool {
	if !root.IsMap() {
		return false
	}
	for _, p := range root.Pairs() {
		if !topLevelKeys[p.Key] && !strings.HasPrefix(p.Key, "x-") {
			return false
		}
	}
	svcs := root.Get("services")
	if !svcs.IsMap() {
		return false
	}
	runnable := false
	for _, s := range svcs.Pairs() {
		if !s.Value.IsMap() {
			continue // a broken service: noticed when the file is scanned
		}
		for _, k := range s.Value.Pairs() {
			if !serviceKeys[k.Key] && !strings.HasPrefix(k.Key, "x-") {
				return false
			}
		}
		img := s.Value.Get("image")
		if img.IsScalar() && !img.IsNull() || s.Value.Get("build").Exists() || s.Value.Get("extends").Exists() {
			runnable = true
		}
	}
	return runnable
}

// Scan lowers one compose file.
func Scan(f *source.File) *model.Project {
	s := &scan{f: f, p: &model.Project{}, others: map[string]*otherFile{}}
	if f.Root != "" && f.Abs != "" {
		if rel, err := filepath.Rel(f.Root, filepath.Dir(f.Abs)); err == nil {
			s.rootDir = filepath.ToSlash(rel)
		}
	}
	for _, raw := range yamldoc.Split(f.Content) {
		doc, err := yamldoc.Parse(f.Path, raw)
		if err != nil {
			n := parseNotice(f.Path, raw, err)
			if bytes.Contains(raw.Bytes, []byte("{{")) || bytes.Contains(raw.Bytes, []byte("{%")) {
				// a Jinja or Go template that renders to a compose file
				n.Level = model.NoticeNote
				n.Message = "looks like a template ({{ … }}) and is not valid YAML as written; not checked"
			}
			s.p.Notices = append(s.p.Notices, n)
			continue
		}
		s.document(doc)
		s.p.Notices = append(s.p.Notices, doc.Notices...)
		if f.KeepYAML != nil {
			f.KeepYAML(raw.Line, doc.Root)
		}
	}
	return s.p
}

func parseNotice(file string, raw yamldoc.RawDoc, err error) model.Notice {
	return yamldoc.ParseNotice(file, raw, err, "not valid YAML: ", "could not be read: ")
}
