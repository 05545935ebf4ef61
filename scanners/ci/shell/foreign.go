package shell

import "strings"

// ContainerLines keeps, of a script in a language other than the POSIX
// shell (PowerShell, cmd), only the lines that start a container engine
// (docker, podman, nerdctl, optionally after sudo or PowerShell's call
// operator &): their words are shell words in any language. Every other
// byte but newlines becomes a space, so offsets into the result are
// offsets into src. cont is the language's line continuation character
// (PowerShell's backtick, cmd's caret); a continued line is rewritten with
// the shell's backslash so that it still parses as one command.
func ContainerLines(src string, cont byte) string {
	b := []byte(src)
	start := 0
	for start < len(b) {
		end := start
		for end < len(b) {
			if b[end] == '\n' {
				// a continuation: the line goes on after this newline
				j := end - 1
				if j >= start && b[j] == '\r' {
					j--
				}
				if cont != 0 && j >= start && b[j] == cont {
					end++
					continue
				}
				break
			}
			end++
		}
		if engineLine(string(b[start:end])) {
			// PowerShell's call operator is no shell word
			if i := start + strings.IndexByte(string(b[start:end]), '&'); i >= start && strings.TrimSpace(string(b[start:i])) == "" {
				b[i] = ' '
			}
			for i := start; i < end; i++ {
				if b[i] == cont && cont != 0 && i+1 < end && (b[i+1] == '\n' || b[i+1] == '\r') {
					b[i] = '\\'
				}
			}
		} else {
			for i := start; i < end; i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
		}
		start = end + 1
	}
	return string(b)
}

// engineLine reports a line whose command is a container engine.
func engineLine(line string) bool {
	f := strings.Fields(line)
	for len(f) > 0 && (f[0] == "&" || f[0] == "sudo") {
		f = f[1:]
	}
	if len(f) == 0 {
		return false
	}
	name := strings.ToLower(strings.Trim(f[0], `"'`))
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.TrimSuffix(name, ".exe")
	return name == "docker" || name == "podman" || name == "nerdctl"
}
