package bib

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDump(t *testing.T) {
	which := os.Getenv("DUMP")
	if which == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(which)
	if filepath.Ext(which) == ".bbl" {
		refs, w := ParseBbl(which, src)
		for _, r := range refs {
			b, _ := json.Marshal(r)
			fmt.Println(string(b))
		}
		fmt.Println(w)
		return
	}
	e, w := ParseBib(which, src)
	for _, r := range References(e) {
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
	}
	fmt.Println(w)
}

func TestCounts(t *testing.T) {
	if os.Getenv("COUNTS") == "" {
		t.Skip()
	}
	re := regexp.MustCompile(`(?mi)^\s*@\s*([a-z]+)\s*[{(]`)
	bibs, _ := filepath.Glob("/work/shared/corpus/papers/*/*.bib")
	for _, p := range bibs {
		src, _ := os.ReadFile(p)
		n := 0
		for _, m := range re.FindAllSubmatch(src, -1) {
			switch string(m[1]) {
			case "string", "String", "STRING", "comment", "Comment", "preamble":
			default:
				n++
			}
		}
		e, w := ParseBib(p, src)
		fmt.Println(filepath.Base(filepath.Dir(p)), n, len(e), len(w))
	}
}

func TestCompareBibBbl(t *testing.T) {
	if os.Getenv("CMP") == "" {
		t.Skip()
	}
	bbls, _ := filepath.Glob("/work/shared/corpus/papers/*/*.bbl")
	for _, b := range bbls {
		src, _ := os.ReadFile(b)
		refs, _ := ParseBbl(b, src)
		bibs, _ := filepath.Glob(filepath.Join(filepath.Dir(b), "*.bib"))
		byKey := map[string]Entry{}
		for _, f := range bibs {
			s, _ := os.ReadFile(f)
			e, _ := ParseBib(f, s)
			for _, x := range Resolve(e) {
				byKey[x.Key] = x
			}
		}
		var nk, title, year, arx, auth int
		for _, r := range refs {
			e, ok := byKey[r.Key]
			if !ok {
				continue
			}
			nk++
			br := e.Reference()
			norm := func(s string) string {
				return strings.ToLower(strings.Join(strings.Fields(strings.Trim(s, ". ")), " "))
			}
			if norm(br.Title) == norm(r.Title) {
				title++
			} else {
				fmt.Printf("TITLE %s\n  bib %q\n  bbl %q\n", r.Key, br.Title, r.Title)
			}
			if br.Year == r.Year {
				year++
			} else {
				fmt.Printf("YEAR %s bib %q bbl %q\n", r.Key, br.Year, r.Year)
			}
			if br.ArxivID == r.ArxivID {
				arx++
			} else {
				fmt.Printf("ARXIV %s bib %q bbl %q\n", r.Key, br.ArxivID, r.ArxivID)
			}
			lastw := func(a []string) string {
				var o []string
				for _, x := range a {
					f := strings.Fields(x)
					if len(f) > 0 {
						o = append(o, strings.ToLower(f[len(f)-1]))
					}
				}
				return strings.Join(o, "|")
			}
			if lb, lr := lastw(br.Authors), lastw(r.Authors); lb == lr || strings.HasPrefix(lb, lr) && len(r.Authors) >= 10 {
				auth++
			} else {
				fmt.Printf("AUTH %s bib %q bbl %q\n", r.Key, br.Authors, r.Authors)
			}
		}
		fmt.Printf("%s: %d refs, %d keyed in bib, title %d, year %d, arxiv %d, authors %d\n", filepath.Base(b), len(refs), nk, title, year, arx, auth)
	}
}

func TestArxivMiss(t *testing.T) {
	if os.Getenv("MISS") == "" {
		t.Skip()
	}
	bibs, _ := filepath.Glob("/work/shared/corpus/papers/*/*.bib")
	for _, f := range bibs {
		s, _ := os.ReadFile(f)
		e, _ := ParseBib(f, s)
		for _, x := range Resolve(e) {
			r := x.Reference()
			all := fmt.Sprint(x.Fields)
			has := strings.Contains(strings.ToLower(all), "arxiv") || strings.Contains(strings.ToLower(all), "corr")
			if has && r.ArxivID == "" {
				fmt.Println("MISS", x.Key, all)
			}
			if !has && r.ArxivID != "" {
				fmt.Println("NOCTX", x.Key, r.ArxivID, all)
			}
		}
	}
}
