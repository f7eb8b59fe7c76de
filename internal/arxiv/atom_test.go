package arxiv

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFeed(t *testing.T) {
	feed := readTestdata(t, "feed.xml")
	want := &Metadata{
		ID:              "2501.00663",
		Version:         "v2",
		Title:           "A Tiny Transformer for Testing: Memory, Attention and the Art of Small Models",
		Authors:         []string{"Ada Example", "Bo Sample", "Chloé Témoin"},
		Abstract:        "We describe a deliberately small transformer used to test tools that read papers. Its attention has $O(n^2)$ cost & its memory is <1 MB. We report results on two toy tasks.",
		Categories:      []string{"cs.LG", "cs.AI", "stat.ML"},
		PrimaryCategory: "cs.LG",
		Published:       "2025-01-02T09:14:33Z",
		Updated:         "2025-02-11T17:20:05Z",
		DOI:             "10.1234/tiny.2025.1",
		Comment:         "12 pages, 3 figures; v2: typos fixed",
		JournalRef:      "J. Tiny Models 1 (2025) 1-12",
		Versions:        []string{"v1", "v2"},
		PDFURL:          "http://arxiv.org/pdf/2501.00663v2",
	}
	got, err := parseFeed(feed, Ref{ID: "2501.00663"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseFeed:\n got %+v\nwant %+v", got, want)
	}

	// Asking for the version: the versions are not known.
	got, err = parseFeed(feed, Ref{ID: "2501.00663", Version: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != "v2" || got.Versions != nil {
		t.Errorf("version v2: got version %q, versions %v", got.Version, got.Versions)
	}

	old, err := parseFeed(readTestdata(t, "old.xml"), Ref{ID: "hep-th/9901001"})
	if err != nil {
		t.Fatal(err)
	}
	if old.ID != "hep-th/9901001" || old.Version != "v1" || old.Title != "Strings on a Test Background" ||
		old.PrimaryCategory != "hep-th" || !reflect.DeepEqual(old.Authors, []string{"Dee Placeholder"}) || old.DOI != "" {
		t.Errorf("old-style: %+v", old)
	}
}

func TestParseFeedErrors(t *testing.T) {
	feed := readTestdata(t, "feed.xml")
	tests := []struct {
		name     string
		data     []byte
		want     Ref
		notFound bool
		msg      string
	}{
		{name: "empty feed", data: readTestdata(t, "empty.xml"), want: Ref{ID: "2501.99999"}, notFound: true, msg: "no entry"},
		{name: "error entry", data: readTestdata(t, "error.xml"), want: Ref{ID: "2599.99999"}, notFound: true, msg: "incorrect id format for 2599.99999"},
		{name: "other paper", data: feed, want: Ref{ID: "2501.00664"}, notFound: true, msg: "no entry for 2501.00664"},
		{name: "other version", data: feed, want: Ref{ID: "2501.00663", Version: "v1"}, notFound: true, msg: "no entry for 2501.00663v1"},
		{name: "entry without id", data: []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title></entry></feed>`), want: Ref{ID: "2501.00663"}, notFound: true},
		{name: "html", data: []byte("<!DOCTYPE html><html><body>busy</body></html>"), want: Ref{ID: "2501.00663"}, msg: "not an Atom feed"},
		{name: "not xml", data: []byte("Rate exceeded."), want: Ref{ID: "2501.00663"}, msg: "not an Atom feed"},
		{name: "empty", data: nil, want: Ref{ID: "2501.00663"}, msg: "not an Atom feed"},
		{name: "truncated", data: feed[:len(feed)/2], want: Ref{ID: "2501.00663"}, msg: "not an Atom feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseFeed(tt.data, tt.want)
			if err == nil {
				t.Fatalf("no error; got %+v", m)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(%v, ErrNotFound) = %v", err, !tt.notFound)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

// FuzzParseFeed checks that the Atom parser never panics, and that what it
// returns is consistent.
func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"feed.xml", "old.xml", "error.xml", "empty.xml"} {
		f.Add(readTestdata(f, name), "")
	}
	f.Add(readTestdata(f, "feed.xml"), "2501.00663v2")
	f.Add([]byte(`<feed><entry><id>http://arxiv.org/abs/2501.00663v9999</id></entry></feed>`), "2501.00663")
	f.Fuzz(func(t *testing.T, data []byte, ref string) {
		want, _ := ParseRef(ref)
		m, err := parseFeed(data, want)
		if err != nil {
			if m != nil {
				t.Fatal("metadata with an error")
			}
			return
		}
		if _, ok := ParseRef(m.ID + m.Version); !ok || m.ID == "" {
			t.Fatalf("bad id %q version %q", m.ID, m.Version)
		}
		if want.ID != "" && m.ID != want.ID {
			t.Fatalf("asked for %s, got %s", want.ID, m.ID)
		}
		if len(m.Versions) > maxVersions || m.Authors == nil || m.Categories == nil {
			t.Fatalf("bad lists: %d versions, authors %v, categories %v", len(m.Versions), m.Authors, m.Categories)
		}
		if m.Title != collapse(m.Title) || m.Abstract != collapse(m.Abstract) {
			t.Fatal("white space not collapsed")
		}
	})
}
