// Package yamldoc is the YAML layer every YAML-based scanner shares: it splits
// a stream into documents without parsing them, sniffs top-level keys cheaply,
// parses a document into a node tree, and reads values with their positions
// (following aliases and merge keys, reading YAML 1.1 booleans as kubectl
// does, noticing duplicate keys and wrong types).
package yamldoc

import "bytes"

// RawDoc is one document of a YAML stream, located but not parsed.
type RawDoc struct {
	Index int    // 0-based position in the stream
	Line  int    // 1-based line in the file where Bytes begins, counting "\n" only (see Split)
	Bytes []byte // the document's text, without its leading "---" marker line
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// Split cuts a YAML stream into documents at "---" and "..." marker lines
// (a marker at column 0 followed by a space or the line end, which YAML
// forbids inside any scalar). Documents holding only comments and blank
// lines are dropped. A marker line's own content ("--- !tag", "--- {a: 1}")
// stays with its document; directive lines ("%YAML 1.2") stay with the
// document they precede.
func Split(content []byte) []RawDoc {
	content = bytes.TrimPrefix(content, bom)
	var docs []RawDoc
	start, startLine := 0, 1
	line := 1
	emit := func(end int) {
		b := content[start:end]
		if hasContent(b) {
			docs = append(docs, RawDoc{Index: len(docs), Line: startLine, Bytes: b})
		}
	}
	for i := 0; i <= len(content); {
		end, next := lineEnd(content, i)
		l := content[i:end]
		// Line counts "\n" alone, as inline directives and fix edits do:
		// a lone "\r" ends a line for the sniffers and the parser but
		// starts no new line number here
		nl := 0
		if end < len(content) && content[next-1] == '\n' {
			nl = 1
		}
		switch {
		case isMarker(l, "---"):
			if !onlyDirectives(content[start:i]) {
				emit(i)
				// the document starts at its marker line, which the parser
				// reads as such and which may carry content ("--- !tag")
				start, startLine = i, line
			}
		case isMarker(l, "..."):
			emit(i)
			start, startLine = next, line+nl
		}
		if end >= len(content) {
			break
		}
		i = next
		line += nl
	}
	if start < len(content) {
		emit(len(content))
	}
	return docs
}

// lineEnd finds the line that starts at b[i]: it ends at end, and the next
// one starts at next. A line ends at "\n", "\r\n" or a lone "\r", as the
// YAML parser reads (and counts) line breaks: a sniffer that split at "\n"
// alone would read "kind: Pod\r# c" as kind "Pod\r# c" where the parser
// reads "Pod" and a comment.
func lineEnd(b []byte, i int) (end, next int) {
	end, next = len(b), len(b)+1
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		end, next = i+j, i+j+1
	}
	// two byte searches beat one IndexAny, which does not vectorize
	if k := bytes.IndexByte(b[i:end], '\r'); k >= 0 {
		end = i + k
		next = end + 1
		if end+1 < len(b) && b[end+1] == '\n' {
			next = end + 2
		}
	}
	return end, next
}

// CutLine returns b's first line, without its line break, and the rest.
// A line ends at "\n", "\r\n" or a lone "\r", as the YAML parser ends
// one: every line-based sniff uses it, so that it sees the lines the parse
// will.
func CutLine(b []byte) (line, rest []byte) {
	end, next := lineEnd(b, 0)
	if next > len(b) {
		return b, nil
	}
	return b[:end], b[next:]
}

// isMarker reports whether line is the document marker m at column 0,
// alone or followed by whitespace.
func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r'
}

// hasContent reports whether b holds anything besides blank lines, comments
// and document markers.
func hasContent(b []byte) bool {
	for len(b) > 0 {
		var l []byte
		l, b = CutLine(b)
		if isMarker(l, "---") {
			l = l[3:]
		}
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' {
			return true
		}
	}
	return false
}

// onlyDirectives reports whether b holds nothing but blank lines, comments
// and %-directives, which belong to the document that follows.
func onlyDirectives(b []byte) bool {
	for len(b) > 0 {
		var l []byte
		l, b = CutLine(b)
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' && t[0] != '%' {
			return false
		}
	}
	return true
}

// TopLevelScalar finds a block-style top-level key ("kind: Deployment" at
// column 0) without parsing and returns its plain or quoted scalar value.
// ok is false when the key is absent or the document is not simple enough
// to tell (flow style, an alias, a block scalar, a value continued on the
// next line): parse it then. Of duplicate keys the last wins, as it does
// when the document is parsed.
func TopLevelScalar(doc []byte, key string) (value string, ok bool) {
	found := false
	for len(doc) > 0 {
		var l []byte
		l, doc = CutLine(doc)
		if len(l) > 0 && (l[0] == '{' || l[0] == '[') {
			return "", false // a flow (JSON) document
		}
		if len(l) <= len(key) || l[len(key)] != ':' || string(l[:len(key)]) != key {
			continue
		}
		v, ok := scalarAfterKey(l[len(key)+1:])
		if !ok || continued(doc) {
			return "", false
		}
		value, found = v, true
	}
	return value, found
}

// scalarAfterKey reads the one-line scalar after "key:".
func scalarAfterKey(v []byte) (string, bool) {
	if len(v) > 0 && v[0] != ' ' && v[0] != '\t' && v[0] != '\r' {
		return "", false // "kind:x" is a plain scalar key, not kind
	}
	v = bytes.TrimSpace(v)
	if i := bytes.Index(v, []byte(" #")); i >= 0 {
		v = bytes.TrimSpace(v[:i])
	}
	if i := bytes.Index(v, []byte("\t#")); i >= 0 {
		v = bytes.TrimSpace(v[:i])
	}
	if len(v) == 0 {
		return "", false
	}
	switch v[0] {
	case '"', '\'':
		if len(v) < 2 || v[len(v)-1] != v[0] || bytes.IndexByte(v[1:len(v)-1], '\\') >= 0 || bytes.IndexByte(v[1:len(v)-1], v[0]) >= 0 {
			return "", false
		}
		return string(v[1 : len(v)-1]), true
	case '*', '&', '!', '|', '>', '{', '[', '%', '@', '`', '-', '?', ':', ',', ']', '}', '#':
		return "", false
	}
	if bytes.Contains(v, []byte(": ")) || bytes.HasSuffix(v, []byte(":")) {
		return "", false // "kind: a: b" does not parse
	}
	return string(v), true
}

// continued reports whether the lines after a key's line continue its
// value: the next line that is not blank is indented.
func continued(rest []byte) bool {
	for len(rest) > 0 {
		var l []byte
		l, rest = CutLine(rest)
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		return l[0] == ' ' || l[0] == '\t'
	}
	return false
}

// HasTopLevelKey reports whether a block-style document has key at column 0
// (with any value), without parsing it.
func HasTopLevelKey(doc []byte, key string) bool {
	for len(doc) > 0 {
		var l []byte
		l, doc = CutLine(doc)
		if len(l) <= len(key) || string(l[:len(key)]) != key {
			continue
		}
		if l[len(key)] == ':' && (len(l) == len(key)+1 || l[len(key)+1] == ' ' || l[len(key)+1] == '\t' || l[len(key)+1] == '\r') {
			return true
		}
	}
	return false
}
