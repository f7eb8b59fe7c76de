package arxiv

import (
	"strings"
	"testing"

	_ "github.com/reprohq/repro/internal/golden"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		in     string
		id, v  string
		ok     bool
		slug   string
		string string
	}{
		// New-style identifiers.
		{in: "2501.00663", id: "2501.00663", ok: true, slug: "2501.00663"},
		{in: "2501.00663v2", id: "2501.00663", v: "v2", ok: true, slug: "2501.00663v2"},
		{in: "2501.00663V2", id: "2501.00663", v: "v2", ok: true},
		{in: "  2501.00663v12 \n", id: "2501.00663", v: "v12", ok: true},
		{in: "0704.0001", id: "0704.0001", ok: true},
		{in: "0704.0001v1", id: "0704.0001", v: "v1", ok: true},
		{in: "1412.7878", id: "1412.7878", ok: true},
		{in: "1501.00001", id: "1501.00001", ok: true},
		{in: "9912.12345v2", id: "9912.12345", v: "v2", ok: true},
		// Old-style identifiers.
		{in: "hep-th/9901001", id: "hep-th/9901001", ok: true, slug: "hep-th_9901001"},
		{in: "hep-th/9901001v3", id: "hep-th/9901001", v: "v3", ok: true, slug: "hep-th_9901001v3"},
		{in: "cs.LG/0101001", id: "cs/0101001", ok: true, slug: "cs_0101001"},
		{in: "math.GT/0309136", id: "math/0309136", ok: true},
		{in: "math.CA/0611800v2", id: "math/0611800", v: "v2", ok: true},
		{in: "cond-mat.stat-mech/0001001", id: "cond-mat/0001001", ok: true},
		{in: "HEP-TH/9901001", id: "hep-th/9901001", ok: true},
		{in: "astro-ph/9108001", id: "astro-ph/9108001", ok: true},
		{in: "math/0703999", id: "math/0703999", ok: true},
		// Prefixes.
		{in: "arXiv:2501.00663", id: "2501.00663", ok: true},
		{in: "ARXIV:2501.00663v1", id: "2501.00663", v: "v1", ok: true},
		{in: "arxiv: 2501.00663", id: "2501.00663", ok: true},
		{in: "arXiv:hep-th/9901001", id: "hep-th/9901001", ok: true},
		// URLs.
		{in: "https://arxiv.org/abs/2501.00663", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/abs/2501.00663v2", id: "2501.00663", v: "v2", ok: true},
		{in: "http://arxiv.org/abs/2501.00663v2", id: "2501.00663", v: "v2", ok: true},
		{in: "https://arxiv.org/abs/2501.00663/", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/abs/2501.00663?context=cs.LG", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/abs/2501.00663v1#S3", id: "2501.00663", v: "v1", ok: true},
		{in: "https://arxiv.org/pdf/2501.00663", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/pdf/2501.00663v2", id: "2501.00663", v: "v2", ok: true},
		{in: "https://arxiv.org/pdf/2501.00663v2.pdf", id: "2501.00663", v: "v2", ok: true},
		{in: "https://arxiv.org/pdf/2501.00663.pdf", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/html/2501.00663v1", id: "2501.00663", v: "v1", ok: true},
		{in: "https://arxiv.org/html/2501.00663v1/", id: "2501.00663", v: "v1", ok: true},
		{in: "https://arxiv.org/html/2501.00663v1/index.html#S2", id: "2501.00663", v: "v1", ok: true},
		{in: "https://arxiv.org/src/2501.00663", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/e-print/2501.00663v3", id: "2501.00663", v: "v3", ok: true},
		{in: "https://export.arxiv.org/abs/2501.00663", id: "2501.00663", ok: true},
		{in: "https://www.arxiv.org/abs/2501.00663", id: "2501.00663", ok: true},
		{in: "HTTPS://ArXiv.org/abs/2501.00663", id: "2501.00663", ok: true},
		{in: "arxiv.org/abs/2501.00663", id: "2501.00663", ok: true},
		{in: "https://arxiv.org/abs/hep-th/9901001", id: "hep-th/9901001", ok: true},
		{in: "https://arxiv.org/pdf/hep-th/9901001v1.pdf", id: "hep-th/9901001", v: "v1", ok: true},
		{in: "https://arxiv.org/abs/math.GT/0309136", id: "math/0309136", ok: true},
		// DOIs.
		{in: "10.48550/arXiv.2501.00663", id: "2501.00663", ok: true},
		{in: "10.48550/ARXIV.2501.00663", id: "2501.00663", ok: true},
		{in: "doi:10.48550/arXiv.2501.00663", id: "2501.00663", ok: true},
		{in: "https://doi.org/10.48550/arXiv.2501.00663", id: "2501.00663", ok: true},
		{in: "http://dx.doi.org/10.48550/arXiv.2501.00663", id: "2501.00663", ok: true},
		{in: "10.48550/arXiv.hep-th/9901001", id: "hep-th/9901001", ok: true},

		// Not references.
		{in: ""},
		{in: "   "},
		{in: "2020"},
		{in: "12345"},
		{in: "paper/"},
		{in: "main.tex"},
		{in: "x.tar.gz"},
		{in: "2501.00663.tar.gz"},
		{in: "2501.00663.pdf"},
		{in: "./2501.00663"},
		{in: "/tmp/2501.00663"},
		{in: "examples/tinyformer"},
		{in: "2513.00663"},   // month 13
		{in: "2500.00663"},   // month 00
		{in: "0703.0001"},    // before the new scheme
		{in: "1501.0001"},    // four digits after 2014
		{in: "1412.00001"},   // five digits before 2015
		{in: "2501.0066"},    // four digits in 2025
		{in: "2501.006631"},  // six digits
		{in: "2501.00000"},   // number zero
		{in: "2501.00663v0"}, // version zero
		{in: "2501.00663v"},
		{in: "2501.00663v12345"},
		{in: "2501.00663 v2"},
		{in: "hep-th/9913001"}, // month 13
		{in: "hep-th/9107001"}, // before arXiv
		{in: "hep-th/0704001"}, // after the old scheme
		{in: "hep-th/0801001"},
		{in: "hep-th/990100"},   // six digits
		{in: "hep-th/99010011"}, // eight digits
		{in: "hep-th/9901000"},  // number zero
		{in: "foo/9901001"},     // unknown archive
		{in: "results/9901001"},
		{in: "hep-th_9901001"},
		{in: "https://example.com/abs/2501.00663"},
		{in: "https://arxiv.org/list/cs.LG/recent"},
		{in: "https://arxiv.org/abs/"},
		{in: "https://arxiv.org/abs/2501.00663/extra"},
		{in: "https://arxiv.org"},
		{in: "https://doi.org/10.1234/abc"},
		{in: "10.48550/arXiv.2501"},
		{in: "arXiv:"},
		{in: "arXiv:main.tex"},
		{in: "arXiv:2501.00663.tex"},
		{in: strings.Repeat("2501.00663", 100)},
	}
	for _, tt := range tests {
		r, ok := ParseRef(tt.in)
		if ok != tt.ok || r.ID != tt.id || r.Version != tt.v {
			t.Errorf("ParseRef(%q) = %+v, %v; want {ID:%s Version:%s}, %v", tt.in, r, ok, tt.id, tt.v, tt.ok)
			continue
		}
		if tt.slug != "" && r.Slug() != tt.slug {
			t.Errorf("ParseRef(%q).Slug() = %q; want %q", tt.in, r.Slug(), tt.slug)
		}
		if ok && r.String() != tt.id+tt.v {
			t.Errorf("ParseRef(%q).String() = %q; want %q", tt.in, r.String(), tt.id+tt.v)
		}
	}
}

// FuzzParseRef checks that ParseRef does not panic and that what it
// accepts is canonical: the reference's string parses back to itself, and
// its slug is a safe file name.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"2501.00663", "2501.00663v2", "0704.0001", "hep-th/9901001v1", "math.GT/0309136",
		"arXiv:2501.00663", "https://arxiv.org/pdf/2501.00663v2.pdf", "https://arxiv.org/html/2501.00663v1/x.html",
		"10.48550/arXiv.2501.00663", "https://doi.org/10.48550/arXiv.2501.00663", "main.tex", "2020", "x.tar.gz",
		"http://export.arxiv.org/abs/cs.LG/0101001?x=1#y", "doi: 10.48550/arXiv.hep-th/9901001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseRef(s)
		if !ok {
			if r != (Ref{}) {
				t.Fatalf("ParseRef(%q) = %+v, false: want the zero Ref", s, r)
			}
			return
		}
		r2, ok2 := ParseRef(r.String())
		if !ok2 || r2 != r {
			t.Fatalf("ParseRef(%q) = %+v, but ParseRef(%q) = %+v, %v", s, r, r.String(), r2, ok2)
		}
		if r3, ok3 := ParseRef("arXiv:" + r.String()); !ok3 || r3 != r {
			t.Fatalf("ParseRef(arXiv:%s) = %+v, %v", r.String(), r3, ok3)
		}
		if r4, ok4 := ParseRef("https://arxiv.org/abs/" + r.String()); !ok4 || r4 != r {
			t.Fatalf("ParseRef(abs URL of %s) = %+v, %v", r.String(), r4, ok4)
		}
		slug := r.Slug()
		if slug == "" || strings.ContainsAny(slug, `/\:*?"<>| `) || strings.HasPrefix(slug, ".") || strings.Contains(slug, "..") {
			t.Fatalf("unsafe slug %q for %q", slug, s)
		}
		if r.Version != "" && (r.Version[0] != 'v' || r.Version == "v0") {
			t.Fatalf("bad version %q for %q", r.Version, s)
		}
	})
}
