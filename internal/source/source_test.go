package source

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	// No golden files here; the import registers -update so that
	// "go test ./... -update" works across the module.
	_ "github.com/reprohq/repro/internal/golden"
)

func TestOpenDir(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tex":            "\\documentclass{article}\n\\begin{document}\n\\input{sections/intro}\n\\end{document}\n",
		"sections/intro.tex":  body,
		"refs.bib":            "@article{x, title={X}}",
		"macros.sty":          "\\newcommand{\\R}{\\mathbb{R}}",
		"Makefile":            "all:\n\tlatexmk\n",
		"fig/plot.png":        "\x89PNG\r\n\x1a\n\x00\x00",
		"fig/data":            "binary\x00data",
		"paper.pdf":           "%PDF-1.5",
		".git/config":         "[core]",
		"__MACOSX/._main.tex": "\x00\x05\x16\x07",
		"._main.tex":          "\x00\x05\x16\x07",
	})
	b, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBundle(t, b)
	if b.Kind != KindDir || b.Root != dir || b.Main != "main.tex" {
		t.Errorf("kind %q root %q main %q", b.Kind, b.Root, b.Main)
	}
	wantFiles := []string{"Makefile", "macros.sty", "main.tex", "refs.bib", "sections/intro.tex"}
	if !slices.Equal(b.Order, wantFiles) {
		t.Errorf("files = %q, want %q", b.Order, wantFiles)
	}
	wantAssets := []string{"fig/data", "fig/plot.png", "paper.pdf"}
	if !slices.Equal(b.Assets, wantAssets) {
		t.Errorf("assets = %q, want %q", b.Assets, wantAssets)
	}
	if data, ok := b.ReadFile("./sections/../sections/intro.tex"); !ok || string(data) != body {
		t.Errorf("ReadFile = %q, %v", data, ok)
	}
	if _, ok := b.ReadFile("nope.tex"); ok {
		t.Error("ReadFile found a missing file")
	}
}

func TestOpenDirSymlinks(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret.tex": "secret", "d/x.tex": "x"})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"main.tex": art, "real/inner.tex": body})
	links := map[string]string{
		"leak.tex":   filepath.Join(outside, "secret.tex"),
		"leakdir":    filepath.Join(outside, "d"),
		"alias.tex":  "real/inner.tex",
		"loop":       ".",
		"broken.tex": "nowhere.tex",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skip("symlinks not supported:", err)
		}
	}
	b, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBundle(t, b)
	want := []string{"alias.tex", "main.tex", "real/inner.tex"}
	if !slices.Equal(b.Order, want) {
		t.Errorf("files = %q, want %q", b.Order, want)
	}
	for _, w := range []string{"leak.tex", "leakdir"} {
		if !hasWarning(b.Warnings, w, "outside the source folder") {
			t.Errorf("no warning for %s: %v", w, b.Warnings)
		}
	}
	if !hasWarning(b.Warnings, "broken symbolic link") {
		t.Errorf("no warning for the broken link: %v", b.Warnings)
	}
}

func TestOpenTeXFile(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tex":           art,
		"draft.tex":          "\\documentclass{article}\n\\begin{document}\n\\input{parts/a}\n\\end{document}\n",
		"parts/a.tex":        body,
		"a/b/c/d/e/deep.tex": "too deep",
	})
	b, err := Open(filepath.Join(dir, "draft.tex"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBundle(t, b)
	if b.Kind != KindTeX || b.Main != "draft.tex" {
		t.Errorf("kind %q main %q", b.Kind, b.Main)
	}
	if k, ok := b.Resolve(b.Main, "parts/a", ".tex"); !ok || k != "parts/a.tex" {
		t.Errorf("Resolve = %q, %v", k, ok)
	}
	if _, ok := b.Files["a/b/c/d/e/deep.tex"]; ok {
		t.Error("read a file beyond the depth limit")
	}

	// Limits are soft around a single .tex file: the main file is in.
	b, err = Open(filepath.Join(dir, "draft.tex"), Options{MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkBundle(t, b)
	if b.Main != "draft.tex" || len(b.Files) != 2 || !hasWarning(b.Warnings, "more than 2 files") {
		t.Errorf("main %q files %q warnings %v", b.Main, b.Order, b.Warnings)
	}

	b, err = Open(filepath.Join(dir, "draft.tex"), Options{MaxBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	checkBundle(t, b)
	if b.Main != "draft.tex" || !hasWarning(b.Warnings, "more than 100 bytes") {
		t.Errorf("main %q files %q warnings %v", b.Main, b.Order, b.Warnings)
	}
	_, err = Open(filepath.Join(dir, "draft.tex"), Options{MaxBytes: 10})
	checkInputErr(t, err, "file is larger than 10 bytes")

	// MainFile overrides the file given.
	b, err = Open(filepath.Join(dir, "draft.tex"), Options{MainFile: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Main != "main.tex" {
		t.Errorf("main %q, want main.tex", b.Main)
	}
}

func TestOpenArchives(t *testing.T) {
	good := []entry{
		{name: "./ms.tex", body: "\\documentclass{article}\n\\begin{document}\n\\input{sec/one}\n\\end{document}\n"},
		{name: "sec/", typeflag: tar.TypeDir},
		{name: "sec/one.tex", body: body},
		{name: "fig.png", body: "\x89PNG\x00"},
	}
	hostile := append(slices.Clone(good),
		entry{name: "../x", body: "escape"},
		entry{name: "sec/../../y.tex", body: "escape"},
		entry{name: "/etc/passwd", body: "root:x:0:0"},
		entry{name: "link.tex", typeflag: tar.TypeSymlink, link: "/etc/passwd"},
		entry{name: "hard.tex", typeflag: tar.TypeLink, link: "ms.tex"},
		entry{name: "dev", typeflag: tar.TypeChar},
		entry{name: `..\win.tex`, body: "escape"},
	)
	single := []byte("\\documentclass{article}\n\\begin{document}\nOne file.\n\\end{document}\n")

	tests := []struct {
		name      string
		file      string
		data      []byte
		kind      string
		main      string
		files     []string
		warnings  []string // each must appear in some warning
		noWarning bool
	}{
		{name: "tar.gz", file: "paper.tar.gz", data: makeTar(t, true, good...), kind: KindTarGz,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}, noWarning: true},
		{name: "tgz", file: "paper.tgz", data: makeTar(t, true, good...), kind: KindTarGz,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}},
		{name: "tar", file: "paper.tar", data: makeTar(t, false, good...), kind: KindTar,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}},
		{name: "arXiv e-print without extension", file: "2501.00663v1", data: makeTar(t, true, good...), kind: KindTarGz,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}},
		{name: "tar named .gz", file: "2501.00663.gz", data: makeTar(t, false, good...), kind: KindTar,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}},
		{name: "hostile entries", file: "evil.tar.gz", data: makeTar(t, true, hostile...), kind: KindTarGz,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"},
			warnings: []string{`"../x"`, `"sec/../../y.tex"`, `"/etc/passwd": absolute path`, `"link.tex": symbolic link`,
				`"hard.tex": hard link`, `"dev": device`, `"..\\win.tex"`}},
		{name: "gzip single file", file: "2501.00663.gz", data: gzipBytes(t, single), kind: KindGz,
			main: "2501.00663.tex", files: []string{"2501.00663.tex"}},
		{name: "gzip single file without extension", file: "2501.00663", data: gzipBytes(t, single), kind: KindGz,
			main: "2501.00663.tex", files: []string{"2501.00663.tex"}},
		{name: "gzipped .tex", file: "paper.tex.gz", data: gzipBytes(t, single), kind: KindGz,
			main: "paper.tex", files: []string{"paper.tex"}},
		{name: "gzip named oddly", file: ".gz", data: gzipBytes(t, single), kind: KindGz,
			main: "main.tex", files: []string{"main.tex"}},
		{name: "bare tex without extension", file: "2501.00663", data: single, kind: KindTeX,
			main: "2501.00663.tex", files: []string{"2501.00663.tex"}},
		{name: "zip", file: "overleaf.zip", data: makeZip(t, append(slices.Clone(good[:1]), good[2:]...)...), kind: KindZip,
			main: "ms.tex", files: []string{"ms.tex", "sec/one.tex"}},
		{name: "hostile zip", file: "evil.zip", data: makeZip(t, append(slices.Clone(good[:1]),
			entry{name: "../x.tex", body: "x"}, entry{name: "/abs.tex", body: "x"},
			entry{name: "l.tex", body: "/etc/passwd", typeflag: tar.TypeSymlink})...), kind: KindZip,
			main: "ms.tex", files: []string{"ms.tex"}, warnings: []string{`"../x.tex"`, `"/abs.tex"`, `"l.tex": symbolic link`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(t.TempDir(), tt.file), tt.data)
			for _, via := range []string{"Open", "FromBytes"} {
				var b *Bundle
				var err error
				if via == "Open" {
					b, err = Open(p, Options{})
				} else {
					b, err = FromBytes(p, tt.data, Options{})
				}
				if err != nil {
					t.Fatalf("%s: %v", via, err)
				}
				checkBundle(t, b)
				if b.Kind != tt.kind || b.Main != tt.main || b.Root != p {
					t.Errorf("%s: kind %q main %q root %q, want %q %q %q", via, b.Kind, b.Main, b.Root, tt.kind, tt.main, p)
				}
				if !slices.Equal(b.Order, tt.files) {
					t.Errorf("%s: files %q, want %q", via, b.Order, tt.files)
				}
				for _, w := range tt.warnings {
					if !hasWarning(b.Warnings, w) {
						t.Errorf("%s: no warning with %s in %v", via, w, b.Warnings)
					}
				}
				for _, w := range b.Warnings {
					if w.File != p {
						t.Errorf("%s: warning %q names file %q, want the archive", via, w.Message, w.File)
					}
				}
				if tt.noWarning && len(b.Warnings) > 0 {
					t.Errorf("%s: unexpected warnings %v", via, b.Warnings)
				}
			}
		})
	}
}

// TestOldTar checks that a tar archive without the ustar magic (V7 format)
// is recognised by its header checksum.
func TestOldTar(t *testing.T) {
	data := makeTar(t, false, entry{name: "main.tex", body: art})
	copy(data[257:265], make([]byte, 8))
	copy(data[148:156], "        ")
	sum := 0
	for _, c := range data[:512] {
		sum += int(c)
	}
	copy(data[148:156], fmt.Sprintf("%06o\x00 ", sum))
	if !isTar(data) {
		t.Fatal("isTar = false for a V7 header")
	}
	b, err := FromBytes("old.tar", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Kind != KindTar || b.Main != "main.tex" {
		t.Errorf("kind %q main %q", b.Kind, b.Main)
	}
	data[0] ^= 1
	if isTar(data) {
		t.Error("isTar = true with a bad checksum")
	}
}

func TestManyUnsafeEntriesWarnOnce(t *testing.T) {
	entries := []entry{{name: "main.tex", body: art}}
	for i := 0; i < 100; i++ {
		entries = append(entries, entry{name: "l", typeflag: tar.TypeSymlink, link: "/"})
	}
	b, err := FromBytes("x.tar", makeTar(t, false, entries...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Warnings) != maxEntryWarnings+1 || !hasWarning(b.Warnings, "80 more") {
		t.Errorf("%d warnings, last %v", len(b.Warnings), b.Warnings[len(b.Warnings)-1])
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	imagesOnly := filepath.Join(dir, "images")
	writeTree(t, imagesOnly, map[string]string{"a.png": "x"})
	noMain := filepath.Join(dir, "nomain")
	writeTree(t, noMain, map[string]string{"a.tex": body})
	many := filepath.Join(dir, "many")
	writeTree(t, many, map[string]string{"main.tex": art, "a.tex": "", "b.tex": "", "c.png": ""})

	tgz := makeTar(t, true, entry{name: "main.tex", body: art})
	bomb := makeTar(t, true, entry{name: "main.tex", body: art}, entry{name: "zeros.tex", body: strings.Repeat("\x00", 4<<20)})
	bombImage := makeTar(t, true, entry{name: "main.tex", body: art}, entry{name: "zeros.png", body: strings.Repeat("\x00", 4<<20)})
	gzBomb := gzipBytes(t, bytes.Repeat([]byte("%"), 4<<20))
	var manyEntries []entry
	for i := 0; i < 20; i++ {
		manyEntries = append(manyEntries, entry{name: strings.Repeat("a", i+1) + ".tex", body: art})
	}

	file := func(name string, data []byte) string { return writeFile(t, filepath.Join(dir, name), data) }
	tests := []struct {
		name string
		path string
		opts Options
		want string
	}{
		{"missing", filepath.Join(dir, "nope"), Options{}, "no such file or directory"},
		{"empty path", "", Options{}, "no source given"},
		{"device", os.DevNull, Options{}, "not a regular file or folder"},
		{"empty folder", empty, Options{}, "folder is empty"},
		{"images only", imagesOnly, Options{}, "no LaTeX files (.tex) found"},
		{"no main", noMain, Options{}, "no main LaTeX file found"},
		{"too many files in folder", many, Options{MaxFiles: 3}, "more than 3 files"},
		{"folder too big", many, Options{MaxBytes: 10}, "larger than 10 bytes"},
		{"empty file", file("empty.tex", nil), Options{}, "file is empty"},
		{"non-LaTeX text", file("NOTES", []byte("# Title\nprose\n")), Options{}, "not a LaTeX source"},
		{"binary", file("blob", []byte{0, 1, 2, 3}), Options{}, "not a LaTeX source"},
		{"too big a PDF", file("big.pdf", []byte("%PDF-1.7\n"+strings.Repeat("x", 100))), Options{MaxBytes: 50}, "larger than"},
		{"corrupt gzip header", file("bad.gz", []byte{0x1f, 0x8b, 0xff, 0xff, 0, 0}), Options{}, "corrupt gzip file"},
		{"corrupt gzip body", file("bad2.tar.gz", append(slices.Clone(tgz[:20]), bytes.Repeat([]byte{0xff}, 100)...)), Options{}, "corrupt"},
		{"truncated tar.gz", file("trunc.tar.gz", tgz[:len(tgz)-10]), Options{}, "corrupt"},
		{"truncated tar", file("trunc.tar", makeTar(t, false, entry{name: "main.tex", body: art})[:540]), Options{}, "corrupt tar archive"},
		{"gzipped binary", file("bin.gz", gzipBytes(t, []byte{1, 0, 2})), Options{}, "not a LaTeX source"},
		{"gzipped empty", file("empty.gz", gzipBytes(t, nil)), Options{}, "gzip file is empty"},
		{"tar bomb", file("bomb.tar.gz", bomb), Options{MaxBytes: 1 << 20}, "larger than 1 MiB"},
		{"tar bomb of skipped files", file("bomb2.tar.gz", bombImage), Options{MaxBytes: 1 << 20}, "larger than 1 MiB"},
		{"gzip bomb", file("bomb.gz", gzBomb), Options{MaxBytes: 1 << 20}, "larger than 1 MiB"},
		{"too many entries", file("many.tar", makeTar(t, false, manyEntries...)), Options{MaxFiles: 10}, "more than 10 files"},
		{"xz", file("x.tar.xz", []byte("\xfd7zXZ\x00\x00")), Options{}, "unsupported archive format"},
		{"corrupt zip", file("x.zip", []byte("PK\x03\x04garbage")), Options{}, "corrupt zip archive"},
		{"main file not found", noMain, Options{MainFile: "nope.tex"}, `main file "nope.tex" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Open(tt.path, tt.opts)
			if err == nil {
				t.Fatalf("no error; bundle %+v", b)
			}
			checkInputErr(t, err, tt.want)
		})
	}
}

func TestMainFileOption(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"main.tex": art, "sub/Other.tex": art})
	for _, mf := range []string{"sub/Other.tex", "sub/Other", "./sub/other.tex", filepath.Join(dir, "sub", "Other.tex")} {
		b, err := Open(dir, Options{MainFile: mf})
		if err != nil {
			t.Fatalf("%s: %v", mf, err)
		}
		if b.Main != "sub/Other.tex" {
			t.Errorf("MainFile %q: main %q", mf, b.Main)
		}
	}
	_, err := Open(dir, Options{MainFile: "../main.tex"})
	checkInputErr(t, err, "not found")
}

func TestResolve(t *testing.T) {
	b, err := FromFiles(map[string][]byte{
		"paper/main.tex":          []byte(art),
		"paper/intro.tex":         nil,
		"paper/sec/method.tex":    nil,
		"paper/sec/detail.tex":    nil,
		"paper/sec/data":          nil,
		"paper/sec/data.tex":      nil,
		"paper/Figures/Plot.tikz": nil,
		"shared/macros.tex":       nil,
		"top.tex":                 nil,
		"table.txt":               nil,
		"paper/file name.tex":     nil,
	}, "src")
	if err != nil {
		t.Fatal(err)
	}
	if b.Main != "paper/main.tex" {
		t.Fatalf("main = %q", b.Main)
	}
	tests := []struct {
		from, name string
		exts       []string
		want       string // "" for not found
	}{
		{"paper/main.tex", "intro", []string{".tex"}, "paper/intro.tex"},
		{"paper/main.tex", "intro.tex", []string{".tex"}, "paper/intro.tex"},
		{"paper/main.tex", " ./intro ", []string{".tex"}, "paper/intro.tex"},
		{"paper/main.tex", "sec/method", []string{".tex"}, "paper/sec/method.tex"},
		// Relative to the file doing the \input, when not under the main folder.
		{"paper/sec/method.tex", "detail", []string{".tex"}, "paper/sec/detail.tex"},
		// Relative to the root.
		{"paper/main.tex", "top", []string{".tex"}, "top.tex"},
		{"paper/main.tex", "table.txt", []string{".tex"}, "table.txt"},
		// ".." that stays inside the root.
		{"paper/main.tex", "../shared/macros", []string{".tex"}, "shared/macros.tex"},
		// kpathsea order: data.tex before data.
		{"paper/main.tex", "sec/data", []string{".tex"}, "paper/sec/data.tex"},
		{"paper/main.tex", "sec/data", nil, "paper/sec/data"},
		// Case mismatch as a last resort.
		{"paper/main.tex", "figures/plot.tikz", nil, "paper/Figures/Plot.tikz"},
		{"paper/main.tex", "SEC/METHOD", []string{".tex"}, "paper/sec/method.tex"},
		{"paper/main.tex", `"file name"`, []string{".tex"}, "paper/file name.tex"},
		{"", "intro", []string{".tex"}, "paper/intro.tex"},
		// Not found, escaping, absolute.
		{"paper/main.tex", "nope", []string{".tex"}, ""},
		{"paper/main.tex", "../../etc/passwd", nil, ""},
		{"paper/main.tex", "../../paper/intro.tex", nil, ""},
		{"paper/main.tex", "/etc/passwd", nil, ""},
		{"paper/main.tex", "/top.tex", nil, ""},
		{"paper/main.tex", "C:/top.tex", nil, ""},
		{"paper/main.tex", "", []string{".tex"}, ""},
	}
	for _, tt := range tests {
		got, ok := b.Resolve(tt.from, tt.name, tt.exts...)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("Resolve(%q, %q, %q) = %q, %v; want %q", tt.from, tt.name, tt.exts, got, ok, tt.want)
		}
	}

	// Concurrent use builds the case-insensitive index once.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, _ := b.Resolve("", "INTRO", ".tex"); got != "paper/intro.tex" {
				t.Errorf("concurrent Resolve = %q", got)
			}
		}()
	}
	wg.Wait()

	// A Bundle built by hand works too.
	lit := &Bundle{Files: map[string][]byte{"A.tex": nil}, Main: "A.tex"}
	if got, ok := lit.Resolve("", "a", ".tex"); !ok || got != "A.tex" {
		t.Errorf("literal bundle: Resolve = %q, %v", got, ok)
	}
}

func TestSingleName(t *testing.T) {
	tests := map[string]string{
		"2501.00663.gz":         "2501.00663.tex",
		"/tmp/x/2501.00663v2":   "2501.00663v2.tex",
		"paper.tex.gz":          "paper.tex",
		"paper.TEX.GZ":          "paper.TEX",
		"hep-th-9901001.tar.gz": "hep-th-9901001.tex",
		".gz":                   "main.tex",
		"":                      "main.tex",
	}
	for in, want := range tests {
		if got := singleName(in); got != want {
			t.Errorf("singleName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOpenSingleFile: a PDF (by header or name), Markdown and text papers
// become one-file bundles of their kind, for the pipeline's other readers.
func TestOpenSingleFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		data string
		kind string
	}{
		{"paper.pdf", "%PDF-1.7\n%...", KindPDF},
		{"noext", "%PDF-1.4\n...", KindPDF},
		{"fake.pdf", "not really", KindPDF}, // the PDF reader says what is wrong
		{"paper.md", "# A paper\n\ntext\n", KindMarkdown},
		{"PAPER.MARKDOWN", "# A paper\n", KindMarkdown},
		{"paper.txt", "A paper\n\n1 Introduction\n", KindText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if b.Kind != tc.kind || b.Main != tc.name || string(b.Files[tc.name]) != tc.data || b.IsLaTeX() {
				t.Errorf("got kind %q main %q files %v", b.Kind, b.Main, b.Order)
			}
		})
	}
	// A .tex file stays LaTeX even when it mentions %PDF.
	path := filepath.Join(dir, "main.tex")
	if err := os.WriteFile(path, []byte("%PDF-1.5 is the output\n\\documentclass{article}\\begin{document}x\\end{document}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := Open(path, Options{}); err != nil || !b.IsLaTeX() {
		t.Errorf("main.tex: %v, kind %v", err, b)
	}
}
