package reach

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextWidth is the width the text view fits in.
const TextWidth = 100

// Text writes the view as one tree per workload, worst first, each line at
// most TextWidth columns (longer items wrap under their branch; a location
// that does not fit goes on its own line). Every string from the input is
// passed through Clean.
func Text(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	if len(r.Workloads) == 0 {
		bw.WriteString("no workload in the scan\n")
		return bw.Flush()
	}
	for i, wl := range r.Workloads {
		if i > 0 {
			bw.WriteString("\n")
		}
		head := strings.ToUpper(string(wl.Tier)) + " " + Clean(wl.ID)
		if wl.Instance != "" {
			head += " (" + Clean(wl.Instance) + ")"
		}
		if wl.Unit != "" {
			head += " in " + Clean(wl.Unit)
		}
		head += " [" + wl.Format + "] score " + strconv.Itoa(wl.Score)
		writeWrapped(bw, "", "", head, wl.Loc)
		type branch struct {
			title string
			lines []node
		}
		var bs []branch
		var secrets, host, network, trans, shared []node
		for _, s := range wl.Secrets {
			secrets = append(secrets, node{text: tag(s.Tier) + secretText(s), loc: s.Loc})
		}
		var ids []node
		for _, id := range wl.Identities {
			n := node{text: Clean(id.Kind) + " " + Clean(id.Name), loc: id.Loc}
			for _, it := range id.Rights {
				n.kids = append(n.kids, node{text: tag(it.Tier) + Clean(it.What), loc: it.Loc})
			}
			if id.Unknown != "" {
				n.kids = append(n.kids, node{text: "rights unknown: " + Clean(id.Unknown)})
			}
			ids = append(ids, n)
		}
		for _, it := range wl.Host {
			host = append(host, node{text: tag(it.Tier) + Clean(it.What), loc: it.Loc})
		}
		for _, it := range wl.Network {
			network = append(network, node{text: tag(it.Tier) + Clean(it.What), loc: it.Loc})
		}
		for _, it := range wl.Transitive {
			trans = append(trans, node{text: tag(it.Tier) + Clean(it.What), loc: it.Loc})
		}
		for _, s := range wl.SharedWith {
			shared = append(shared, node{text: Clean(s.Workload) + " via " + Clean(s.Via), loc: s.Loc})
		}
		bs = append(bs, branch{"secrets", secrets}, branch{"identities", ids}, branch{"host", host},
			branch{"network", network}, branch{"reaches through its rights", trans}, branch{"shares identity or secret with", shared})
		var kept []branch
		for _, b := range bs {
			if len(b.lines) > 0 {
				kept = append(kept, b)
			}
		}
		if len(kept) == 0 {
			bw.WriteString("└─ nothing in reach\n")
		}
		for bi, b := range kept {
			last := bi == len(kept)-1
			writeWrapped(bw, pick(last, "└─ ", "├─ "), pick(last, "   ", "│  "), b.title, nil)
			writeNodes(bw, pick(last, "   ", "│  "), b.lines)
		}
	}
	return bw.Flush()
}

type node struct {
	text string
	loc  *Loc
	kids []node
}

func writeNodes(w *bufio.Writer, indent string, ns []node) {
	for i, n := range ns {
		last := i == len(ns)-1
		writeWrapped(w, indent+pick(last, "└─ ", "├─ "), indent+pick(last, "   ", "│  "), n.text, n.loc)
		writeNodes(w, indent+pick(last, "   ", "│  "), n.kids)
	}
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

func tag(t Tier) string { return "[" + string(t) + "] " }

func secretText(s Secret) string {
	name := Clean(s.Name)
	if s.Key != "" {
		name += " key " + Clean(s.Key)
	}
	var how string
	switch s.How {
	case "env-var":
		how = "env var " + Clean(s.Into) + " ← " + storeName(s.Store) + " " + name
	case "env-from":
		how = "all keys of " + storeName(s.Store) + " " + name + " as env vars (envFrom)"
	case "env-file":
		how = "env file " + name + ": " + Clean(s.Into)
	case "volume":
		how = "secret volume " + name + " at " + Clean(s.Into)
	case "service-account-token":
		how = "service-account token of " + name + " at " + Clean(s.Into)
	case "ci-secret":
		how = "CI secret " + name
	case "all-ci-secrets":
		how = name + " of the repository"
	case "ci-token":
		how = "job token " + name
		if s.Into != "" {
			how += " sent to " + Clean(s.Into)
		}
	case "checkout-token":
		how = "job token persisted in " + Clean(s.Into) + " by checkout"
	case "oidc-token":
		how = "OIDC token " + name + " for " + Clean(s.Into)
	case "literal":
		how = name + " written in " + Clean(s.Into) + " (value not shown)"
	case "header":
		how = "header " + Clean(s.Into) + " ← " + storeName(s.Store) + " " + name
	case "inherited-environment":
		how = name + " (" + Clean(s.Into) + ")"
	default:
		how = Clean(s.How) + " " + name
	}
	return how
}

func storeName(s string) string {
	switch s {
	case "kubernetes-secret":
		return "Secret"
	case "environment":
		return "caller's variable"
	case "ci-secrets":
		return "CI secret"
	case "":
		return "secret"
	}
	return Clean(s)
}

// writeWrapped writes prefix+text, wrapping at TextWidth under cont, with
// the location after the text when it fits, else on its own line.
func writeWrapped(w *bufio.Writer, prefix, cont, text string, loc *Loc) {
	width := utf8.RuneCountInString
	at := ""
	if loc != nil {
		at = loc.String()
	}
	// the line being filled, and its width in runes (kept, not recounted)
	line := []byte(prefix)
	lw := width(prefix)
	contw := width(cont) + 2
	flush := func() {
		w.Write(line)
		w.WriteByte('\n')
	}
	restart := func() {
		line = append(append(line[:0], cont...), "  "...)
		lw = contw
	}
	first := true
	for word := range strings.FieldsSeq(text) {
		ww := width(word)
		sep := 1
		if first {
			sep = 0
		}
		if !first && lw+1+ww > TextWidth {
			w.Write(bytes.TrimRight(line, " "))
			w.WriteByte('\n')
			restart()
			sep = 0
		}
		for lw+sep+ww > TextWidth && lw+sep < TextWidth-8 {
			// one word longer than the line: cut it
			room := TextWidth - lw - sep
			cut := runeOffset(word, room)
			if sep == 1 {
				line = append(line, ' ')
			}
			line = append(line, word[:cut]...)
			flush()
			word, ww = word[cut:], ww-room
			restart()
			sep = 0
		}
		if sep == 1 {
			line = append(line, ' ')
		}
		line = append(line, word...)
		lw += sep + ww
		first = false
	}
	if at != "" {
		if lw+2+width(at) <= TextWidth {
			line = append(append(line, "  "...), Clean(at)...)
		} else {
			flush()
			// a location longer than a line is cut into pieces of a line
			// each: the tree keeps its width
			l := cont + "  at "
			rs := []rune(Clean(at))
			for width(l)+len(rs) > TextWidth {
				room := TextWidth - width(l)
				w.WriteString(l + string(rs[:room]) + "\n")
				rs, l = rs[room:], cont+"     "
			}
			line = append(line[:0], l+string(rs)...)
		}
	}
	flush()
}

// runeOffset is the byte offset of s's n-th rune (len(s) when s is shorter).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
