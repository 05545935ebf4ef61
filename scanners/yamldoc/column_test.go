package yamldoc

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestColumnsOnOneLongLine: locating values on a minified line (issue 12:
// a 589 KB one-line pod.json took 109 s) uses an index of the line, not a
// walk from its start. The index must give the columns the walk gave, on
// ASCII lines and on lines with multi-byte characters before, between and
// inside the values, past the first index mark and far beyond it.
func TestColumnsOnOneLongLine(t *testing.T) {
	for _, prefix := range []string{"", "é", "名前🙂"} {
		var b strings.Builder
		b.WriteString("{")
		const n = 3000
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"k%d": "%sv%d", "s%d": '%s%d'`, i, prefix, i, i, prefix, i)
		}
		b.WriteString("}\n")
		src := b.String()
		doc, err := Parse("pod.json", Split([]byte(src))[0])
		if err != nil {
			t.Fatal(err)
		}
		root := doc.Value()
		for _, i := range []int{0, 1, 63, 64, 65, 1000, n - 1} {
			for _, key := range []string{fmt.Sprintf("k%d", i), fmt.Sprintf("s%d", i)} {
				v := root.Get(key)
				loc := v.Loc()
				// the reference: count code points from the line's start
				keyAt := strings.Index(src, `"`+key+`"`)
				want := utf8.RuneCountInString(src[:keyAt]) + 1
				q := `"`
				if key[0] == 's' {
					q = `'`
				}
				valAt := keyAt + len(key) + 4 // `"key": ` then the value's quote
				valEnd := valAt + 1 + strings.Index(src[valAt+1:], q) + 1
				wantEnd := utf8.RuneCountInString(src[:valEnd]) + 1
				if loc.Line != 1 || loc.Col != want || loc.EndCol != wantEnd {
					t.Errorf("prefix %q, %s: at %d:%d-%d, want 1:%d-%d", prefix, key, loc.Line, loc.Col, loc.EndCol, want, wantEnd)
				}
				s, _ := v.Str()
				sp, ok := v.Span(len(s)-1, 1)
				if !ok || sp.Col != wantEnd-2 {
					t.Errorf("prefix %q, %s: Span at %d (ok %v), want %d", prefix, key, sp.Col, ok, wantEnd-2)
				}
			}
		}
	}
}
