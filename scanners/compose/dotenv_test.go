package compose

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	src := strings.Join([]string{
		"# a comment",
		"FOO=bar",
		"export EXPORTED=1",
		"  INDENTED = spaced value  ",
		"INLINE=val # a comment",
		`HASH="a # b"`,
		`SINGLE='${FOO} stays'`,
		`DOUBLE="${FOO}-x\ty"`,
		`PLAIN=${FOO}/${UNSET}`,
		`MULTI="first`,
		`NOT_A_KEY=second line of MULTI"`,
		"YAML_STYLE: yes",
		"BARE",
		"EMPTY=",
		"bad key=1",
		"DOLLAR=$$FOO",
		"DOTTED.NAME-1=ok\r",
		"",
	}, "\n")
	entries, problems := parseEnvFile([]byte(src), ".env", nil)
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d:%d %s=%q unknown=%v", e.line, e.col, e.key, e.value, e.unknown))
	}
	want := []string{
		`2:1 FOO="bar" unknown=false`,
		`3:8 EXPORTED="1" unknown=false`,
		`4:3 INDENTED="spaced value" unknown=false`,
		`5:1 INLINE="val" unknown=false`,
		`6:1 HASH="a # b" unknown=false`,
		`7:1 SINGLE="${FOO} stays" unknown=false`,
		`8:1 DOUBLE="bar-x\ty" unknown=false`,
		`9:1 PLAIN="bar/" unknown=true`,
		`10:1 MULTI="first\nNOT_A_KEY=second line of MULTI" unknown=false`,
		`12:1 YAML_STYLE="yes" unknown=false`,
		`13:1 BARE="" unknown=true`,
		`14:1 EMPTY="" unknown=false`,
		`16:1 DOLLAR="$FOO" unknown=false`,
		`17:1 DOTTED.NAME-1="ok" unknown=false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(problems) != 1 || problems[0].line != 15 {
		t.Errorf("problems = %+v, want one on line 15", problems)
	}
}

func TestParseEnvFileUnterminated(t *testing.T) {
	entries, problems := parseEnvFile([]byte("A=1\nB=\"open\nC=3\n"), ".env", nil)
	if len(entries) != 1 || entries[0].key != "A" {
		t.Errorf("entries = %+v, want only A", entries)
	}
	if len(problems) != 1 || problems[0].line != 2 {
		t.Errorf("problems = %+v, want one on line 2", problems)
	}
}

func TestParseEnvFileOuter(t *testing.T) {
	outer := &environment{vars: map[string]variable{"HOST": {value: "db"}}}
	entries, _ := parseEnvFile([]byte("URL=postgres://${HOST}/x\n"), "app.env", outer)
	if len(entries) != 1 || entries[0].value != "postgres://db/x" || entries[0].unknown {
		t.Errorf("entries = %+v", entries)
	}
}
