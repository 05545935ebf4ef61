package shell

import (
	"strings"
	"testing"
)

func TestParseCommandsAndVars(t *testing.T) {
	src := "set -e\nif [ -n \"$TOKEN\" ]; then curl -H \"Authorization: $TOKEN\" https://x; fi\necho ${HOME:-/root} $(date)\n"
	s, err := Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range s.Commands {
		names = append(names, c.Name())
	}
	if got := strings.Join(names, ","); got != "set,[,curl,echo,date" {
		t.Errorf("commands = %s", got)
	}
	if got := strings.Join(s.Vars, ","); got != "TOKEN,HOME" {
		t.Errorf("vars = %s", got)
	}
}

func TestParseMasked(t *testing.T) {
	src := "docker run -e T=${{ secrets.T }} alpine"
	i := strings.Index(src, "${{")
	s, err := Parse(src, [][2]int{{i, len(src) - len(" alpine")}})
	if err != nil {
		t.Fatal(err)
	}
	args := s.Commands[0].Args
	if args[3].Known || args[3].Text != "T=${{ secrets.T }}" {
		t.Errorf("masked word = %+v", args[3])
	}
	if !args[4].Known || args[4].Lit != "alpine" {
		t.Errorf("image word = %+v", args[4])
	}
}

func TestContainerRun(t *testing.T) {
	for _, c := range []struct {
		src                          string
		image                        string
		privileged                   bool
		network, pid, ipc            string
		volumes, caps, devices, envs int
		apiSocket                    bool
	}{
		{src: "docker run --rm -it --privileged -v /var/run/docker.sock:/var/run/docker.sock alpine:3 sh -c 'id'", image: "alpine:3", privileged: true, volumes: 1},
		{src: "sudo -E docker --context ci container run --network=host --pid host --ipc=host img", image: "img", network: "host", pid: "host", ipc: "host"},
		{src: "podman run --cap-add SYS_ADMIN --cap-add=NET_ADMIN --device /dev/fuse -e A=1 -e B img cmd --privileged", image: "img", caps: 2, devices: 1, envs: 2},
		{src: "docker run --privileged=false --use-api-socket img", image: "img", apiSocket: true},
		{src: "docker create -u root -- img", image: "img"},
	} {
		s, err := Parse(c.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := ContainerRun(Unwrap(s.Commands[0].Args))
		if r == nil {
			t.Fatalf("%s: not a container run", c.src)
		}
		if r.Image == nil || r.Image.Lit != c.image {
			t.Errorf("%s: image %+v", c.src, r.Image)
		}
		if (r.Privileged != nil) != c.privileged {
			t.Errorf("%s: privileged %v", c.src, r.Privileged != nil)
		}
		val := func(f *Flag) string {
			if f == nil {
				return ""
			}
			return f.Value
		}
		if val(r.Network) != c.network || val(r.PID) != c.pid || val(r.IPC) != c.ipc {
			t.Errorf("%s: namespaces %q %q %q", c.src, val(r.Network), val(r.PID), val(r.IPC))
		}
		if len(r.Volumes) != c.volumes || len(r.CapAdd) != c.caps || len(r.Devices) != c.devices || len(r.Env) != c.envs {
			t.Errorf("%s: volumes %d caps %d devices %d env %d", c.src, len(r.Volumes), len(r.CapAdd), len(r.Devices), len(r.Env))
		}
		if (r.APISocket != nil) != c.apiSocket {
			t.Errorf("%s: api socket %v", c.src, r.APISocket != nil)
		}
	}
	for _, src := range []string{"docker build .", "docker ps", "echo docker run --privileged x", "docker compose run app"} {
		s, _ := Parse(src, nil)
		if r := ContainerRun(Unwrap(s.Commands[0].Args)); r != nil {
			t.Errorf("%s: read as a container run", src)
		}
	}
}

func TestSplitVolume(t *testing.T) {
	for _, c := range []struct {
		in, src, dst string
		ro           bool
	}{
		{"/a:/b", "/a", "/b", false},
		{"/a:/b:ro", "/a", "/b", true},
		{"/b", "", "/b", false},
		{"data:/b:rw,z", "data", "/b", false},
	} {
		src, dst, ro := SplitVolume(c.in)
		if src != c.src || dst != c.dst || ro != c.ro {
			t.Errorf("%s: %q %q %v", c.in, src, dst, ro)
		}
	}
	if src, _, _ := BindSource("type=bind,source=/var/run/docker.sock,target=/s"); src != "/var/run/docker.sock" {
		t.Errorf("bind source %q", src)
	}
	if src, _, _ := BindSource("type=volume,source=data,target=/s"); src != "" {
		t.Errorf("volume mount read as bind: %q", src)
	}
}

func TestErrorsWithholdScriptText(t *testing.T) {
	for _, src := range []string{
		"if true; then echo ghp_secretsecret\n",
		"echo \"ghp_secretsecret\n",
		"a=( ghp_secretsecret\n",
		"case ghp_secretsecret in\n",
		"for ghp_secretsecret in; do\n",
		"cat <<ghp_secretsecret\n",
	} {
		_, err := Parse(src, nil)
		if err == nil {
			t.Fatalf("%q parsed", src)
		}
		_, msg, _ := ErrorAt(err)
		if strings.Contains(msg, "ghp_") {
			t.Errorf("%q: message shows script text: %s", src, msg)
		}
	}
}

func TestNestedShell(t *testing.T) {
	src := `sh -c 'docker run --privileged img' && bash -c "echo $X; docker run img2"`
	s, err := Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, c := range s.Commands {
		if r := ContainerRun(Unwrap(c.Args)); r != nil {
			runs = append(runs, r.Image.Lit)
			if r.Privileged == nil || src[r.Privileged.FlagWord.Start:r.Privileged.FlagWord.End] != "--privileged" {
				t.Errorf("privileged flag not placed in the outer script: %+v", r.Privileged)
			}
		}
	}
	if strings.Join(runs, ",") != "img" {
		t.Errorf("container runs %v (a double-quoted script with $ is the outer shell's and left alone)", runs)
	}
}

func TestContainerLines(t *testing.T) {
	src := "$env:TAG = \"1.0\"\nWrite-Host \"building\"\ndocker run --rm `\n  --privileged example/x:1\n& docker.exe run -v C:\\data:/data example/y:1\n"
	got := ContainerLines(src, '`')
	if len(got) != len(src) {
		t.Fatalf("length %d, want %d", len(got), len(src))
	}
	sc, err := Parse(got, nil)
	if err != nil {
		t.Fatalf("masked script does not parse: %v\n%s", err, got)
	}
	var names []string
	for _, c := range sc.Commands {
		names = append(names, c.Name())
		if c.Name() == "docker" && (len(c.Args) != 5 || c.Args[3].Lit != "--privileged") {
			t.Errorf("continued line not joined: %v", c.Args)
		}
	}
	if strings.Join(names, ",") != "docker,docker.exe" {
		t.Errorf("commands %v, want the two docker lines only", names)
	}
}

func TestExport(t *testing.T) {
	src := "export AWS_ACCESS_KEY_ID=$KEY REGION=eu-west-1 NAKED\n"
	s, err := Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Commands) != 1 {
		t.Fatalf("commands = %+v", s.Commands)
	}
	a := s.Commands[0].Args
	if len(a) != 4 || a[0].Lit != "export" || a[1].Known || a[1].Text != "AWS_ACCESS_KEY_ID=$KEY" ||
		a[2].Lit != "REGION=eu-west-1" || a[3].Lit != "NAKED" || src[a[1].Start:a[1].End] != a[1].Text {
		t.Errorf("export words = %+v", a)
	}
}

// FuzzContainerLines: masking keeps every offset (the length and the
// newlines) whatever the script, and never panics.
func FuzzContainerLines(f *testing.F) {
	f.Add("docker run --rm `\n  --privileged x\n", byte('`'))
	f.Add("& docker run ^\r\n x\r\nWrite-Host hi\n", byte('^'))
	f.Add("`\n`", byte(0))
	f.Fuzz(func(t *testing.T, src string, cont byte) {
		got := ContainerLines(src, cont)
		if len(got) != len(src) || strings.Count(got, "\n") != strings.Count(src, "\n") {
			t.Fatalf("offsets moved: %q → %q", src, got)
		}
	})
}
