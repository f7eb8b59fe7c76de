package sentence

import "testing"

func TestFirstLast(t *testing.T) {
	tests := []struct {
		s           string
		first, last string
	}{
		{"One sentence. Two sentences.", "One sentence.", "Two sentences."},
		{"As in Eq. 3 we see. Then more", "As in Eq. 3 we see.", "Then more"},
		{"We follow Smith et al. (2020). Next", "We follow Smith et al. (2020).", "Next"},
		{"A loss. $x$ follows.", "A loss.", "A loss. $x$ follows."},
		{"Is it? (Yes.) Fine", "Is it?", "Is it? (Yes.) Fine"}, // ".)" ends no sentence
		{"no end at all", "no end at all", "no end at all"},
		{"ends here.", "ends here.", "ends here."},
		{"the value 3.5 is kept. Done", "the value 3.5 is kept.", "Done"},
		{"", "", ""},
	}
	for _, tc := range tests {
		if got := tc.s[:FirstEnd(tc.s)]; got != tc.first {
			t.Errorf("first of %q = %q, want %q", tc.s, got, tc.first)
		}
		if got := tc.s[LastStart(tc.s):]; got != tc.last {
			t.Errorf("last of %q = %q, want %q", tc.s, got, tc.last)
		}
	}
}

func FuzzSentence(f *testing.F) {
	for _, s := range []string{"A. B", "e.g. x. Y", "?!. ", "$x$. (y). Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e := FirstEnd(s); e < 0 || e > len(s) {
			t.Fatalf("FirstEnd = %d", e)
		}
		if b := LastStart(s); b < 0 || b > len(s) {
			t.Fatalf("LastStart = %d", b)
		}
	})
}
