package model

import "testing"

func TestLocationCompare(t *testing.T) {
	a1 := Location{File: "a.yaml", Line: 3, Col: 5}
	cases := []struct {
		a, b Location
		want int
	}{
		{a1, a1, 0},
		{a1, Location{File: "b.yaml", Line: 1, Col: 1}, -1},           // file first
		{a1, Location{File: "a.yaml", Line: 2, Col: 9}, +1},           // then line
		{a1, Location{File: "a.yaml", Line: 3, Col: 6}, -1},           // then column
		{a1, Location{File: "a.yaml", Line: 3, Col: 5, Path: "x"}, 0}, // nothing else
	}
	for _, c := range cases {
		if got := c.a.Compare(&c.b); got != c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := c.b.Compare(&c.a); got != -c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.b, c.a, got, -c.want)
		}
		if got := c.a.Before(c.b); got != (c.want < 0) {
			t.Errorf("%v.Before(%v) = %v", c.a, c.b, got)
		}
	}
}
