// Package source resolves a paper's SOURCE argument (a folder, a single .tex
// file, a .tar/.tar.gz/.tgz/.zip archive, or a gzip-compressed file as served
// by arXiv) into a Bundle: the paper's text files read into memory, with the
// main .tex file identified.
//
// Sources are untrusted. Archive entries that are absolute, climb out of the
// source root with "..", or are links or devices are skipped with a warning;
// symbolic links in folders are followed only when they stay inside the
// folder; and total size and file count are capped (see Options) so that an
// archive bomb fails with a clear error instead of exhausting memory. Nothing
// is ever written to disk.
//
// Images, PDFs and other binary files are not read; their names are listed in
// Bundle.Assets so that later stages can still tell that, say, a figure file
// exists.
package source

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/xerr"
)

// Default limits, used when the corresponding Options field is zero.
const (
	// DefaultMaxBytes caps the uncompressed size of a source: 256 MiB.
	DefaultMaxBytes int64 = 256 << 20
	// DefaultMaxFiles caps the number of files in a source.
	DefaultMaxFiles = 20000
)

// Source kinds, the values of Bundle.Kind.
const (
	KindDir   = "dir"    // a folder
	KindTeX   = "tex"    // a single .tex file (and the folder around it)
	KindTar   = "tar"    // an uncompressed tar archive
	KindTarGz = "tar.gz" // a gzip-compressed tar archive (.tar.gz, .tgz, arXiv e-print)
	KindGz    = "gz"     // a gzip-compressed single .tex file (arXiv single-file e-print)
	KindZip   = "zip"    // a zip archive (e.g. an Overleaf download)
	KindFiles = "files"  // built by FromFiles

	// A paper that is not LaTeX: the bundle holds the one file, Main names
	// it, and the pipeline reads it with the PDF or text reader.
	KindPDF      = "pdf"      // a PDF file (by its %PDF- header)
	KindMarkdown = "markdown" // a .md or .markdown file
	KindText     = "text"     // a .txt or .text file
)

// IsLaTeX reports whether the bundle is a LaTeX source (and not a PDF,
// Markdown or text paper).
func (b *Bundle) IsLaTeX() bool {
	return b.Kind != KindPDF && b.Kind != KindMarkdown && b.Kind != KindText
}

// Options configures Open.
type Options struct {
	// MainFile names the main .tex file, overriding detection. It is a path
	// inside the source, relative to the source root ("paper/main.tex"); the
	// ".tex" may be left off. For a folder source, a path that includes the
	// folder ("src/main.tex" for SOURCE "src") is accepted too.
	MainFile string
	// MaxBytes caps the total uncompressed size of an archive, or the total
	// size of the files read from a folder. Zero means DefaultMaxBytes.
	MaxBytes int64
	// MaxFiles caps the number of files in the source. Zero means
	// DefaultMaxFiles.
	MaxFiles int
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	return o
}

// Bundle is a paper's source files, read into memory.
//
// A Bundle is not modified by this package after it is returned, and its
// methods are safe for concurrent use as long as the caller does not modify
// Files either.
type Bundle struct {
	// Files maps slash-separated, cleaned paths relative to the source root
	// ("main.tex", "sections/intro.tex") to file contents. Only text files
	// are held; see Assets.
	Files map[string][]byte
	// Order is the keys of Files, sorted.
	Order []string
	// Root is the path the user gave (or the name given to FromBytes or
	// FromFiles).
	Root string
	// Kind says how the source was packed: "dir", "tex", "tar", "tar.gz",
	// "gz", "zip", or "files" for FromFiles.
	Kind string
	// Main is the main .tex file, a key of Files.
	Main string
	// Assets lists, sorted, the files that are present in the source but were
	// not read: images, PDFs, other binaries and oversized unknown files.
	Assets []string
	// Warnings are the problems met while reading the source: skipped
	// unsafe archive entries, symbolic links leaving the folder, and so on.
	Warnings []doc.Warning

	fold *foldIndex // lazily built case-insensitive index; nil in literals
}

// foldIndex maps lower-cased file names to keys of Files.
type foldIndex struct {
	once sync.Once
	m    map[string]string
}

func newBundle(root, kind string) *Bundle {
	return &Bundle{Files: map[string][]byte{}, Root: root, Kind: kind, fold: &foldIndex{}}
}

func (b *Bundle) warn(file, format string, args ...any) {
	b.Warnings = append(b.Warnings, doc.Warning{File: file, Message: fmt.Sprintf(format, args...)})
}

// ReadFile returns the contents of the named file of the bundle. The name is
// cleaned first, so "./a/../main.tex" finds "main.tex". It does not search:
// use Resolve for names as written in \input.
func (b *Bundle) ReadFile(name string) ([]byte, bool) {
	data, ok := b.Files[cleanKey(name)]
	return data, ok
}

// Resolve finds the file that an \input, \include (or similar) in file from
// refers to by name, and returns its key in Files.
//
// As LaTeX resolves names against its working directory, which is the main
// file's folder, name is tried relative to the folder of Main first, then
// relative to the folder of from, then relative to the source root. In each
// place, following kpathsea, a name that does not already end in one of exts
// is tried with each of exts appended first (so \input{intro} finds
// intro.tex before a file named just intro) and then as is. If nothing
// matches exactly, the same search is repeated ignoring case, as a last
// resort for sources written on case-insensitive file systems.
//
// Surrounding spaces and double quotes are removed from name. A name that is
// absolute, or that climbs out of the source root with "..", is not found;
// the caller reports it.
func (b *Bundle) Resolve(from, name string, exts ...string) (string, bool) {
	name = strings.TrimSpace(name)
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = strings.TrimSpace(name[1 : len(name)-1])
	}
	name = strings.ReplaceAll(name, `"`, "")
	if name == "" || isAbs(name) {
		return "", false
	}
	var bases []string
	for _, base := range []string{path.Dir(cleanKey(b.Main)), path.Dir(cleanKey(from)), "."} {
		if !slices.Contains(bases, base) {
			bases = append(bases, base)
		}
	}
	var tries []string
	for _, base := range bases {
		p := path.Join(base, name)
		if escapes(p) {
			continue
		}
		for _, v := range variants(p, exts) {
			if !slices.Contains(tries, v) {
				tries = append(tries, v)
			}
		}
	}
	for _, t := range tries {
		if _, ok := b.Files[t]; ok {
			return t, true
		}
	}
	idx := b.foldMap()
	for _, t := range tries {
		if k, ok := idx[strings.ToLower(t)]; ok {
			return k, true
		}
	}
	return "", false
}

// variants lists the names to try for p with the extensions exts, in
// kpathsea's order.
func variants(p string, exts []string) []string {
	for _, e := range exts {
		if e != "" && strings.HasSuffix(strings.ToLower(p), strings.ToLower(e)) {
			return []string{p}
		}
	}
	out := make([]string, 0, len(exts)+1)
	for _, e := range exts {
		if e != "" {
			out = append(out, p+e)
		}
	}
	return append(out, p)
}

// foldMap returns the case-insensitive index of Files: lower-cased name to
// key, the first key in sorted order winning.
func (b *Bundle) foldMap() map[string]string {
	build := func() map[string]string {
		keys := make([]string, 0, len(b.Files))
		for k := range b.Files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := make(map[string]string, len(keys))
		for _, k := range keys {
			lk := strings.ToLower(k)
			if _, dup := m[lk]; !dup {
				m[lk] = k
			}
		}
		return m
	}
	if b.fold == nil {
		return build()
	}
	b.fold.once.Do(func() { b.fold.m = build() })
	return b.fold.m
}

// FromFiles builds a Bundle from files already in memory, keyed by
// slash-separated paths relative to root, and detects its main file as Open
// does. Names are cleaned; names that are absolute or climb out of the root
// with ".." are dropped with a warning. The map is copied, the contents are
// not. The Bundle's Kind is "files".
func FromFiles(files map[string][]byte, root string) (*Bundle, error) {
	b := newBundle(root, KindFiles)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		key, why := entryKey(n)
		if why != "" {
			b.warn(root, "skipped file %q: %s", n, why)
			continue
		}
		if key == "" {
			continue
		}
		b.Files[key] = files[n]
	}
	if err := b.finish(Options{}, ""); err != nil {
		return nil, err
	}
	return b, nil
}

// Open reads the paper source at path into a Bundle. The path may be:
//
//   - a folder, which is walked (hidden folders such as .git are skipped);
//   - a .tex file: it is the main file, and the other files of its folder are
//     read too (best effort: limits stop the walk with a warning);
//   - a .tar, .tar.gz or .tgz archive, or a .zip;
//   - a gzip-compressed file holding either a tar archive or a bare .tex file,
//     as arXiv serves e-prints (often without an extension).
//
// Archives are recognised by their magic bytes, not by their extension.
// Text files (.tex, .sty, .cls, .bib, .bbl, ... and small files of unknown
// type without NUL bytes) are read; images, PDFs and binaries are listed in
// Assets. Problems with the input are reported as *xerr.Error values of kind
// xerr.KindInput.
//
// Unless opts.MainFile names it (or path is a .tex file), the main file is
// detected among the .tex files, ignoring commented-out text:
//
//  1. the top-level file named by arXiv's 00README.json or legacy
//     00README.XXX, if any (files they mark "ignore" are never main);
//  2. else a file with both \documentclass and \begin{document} that no
//     other file inputs (\input, \include, \subfile, \import, ...) and that
//     is not a standalone or subfiles part;
//  3. else such a file that gets one of the two from the files it inputs,
//     as in \input{preamble} with the \documentclass in preamble.tex;
//  4. else any file with both; else a file with \begin{document} that no
//     other file inputs; else a file with \documentclass.
//
// Ties are broken by preferring a file no other file inputs, then the usual
// names (main.tex, paper.tex, ms.tex, ...), then names that do not mark a
// supplement, a reply to reviewers or a latexdiff output, then the
// shallowest path, then the largest file.
func Open(path string, opts Options) (*Bundle, error) {
	opts = opts.withDefaults()
	if path == "" {
		return nil, xerr.Input("", "no source given", hintSource)
	}
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, xerr.Input(path, "no such file or directory", "check the path; "+hintSource)
		}
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read source", Err: err,
			Hint: "check that the path exists and that you may read it"}
	}
	if fi.IsDir() {
		return openDir(path, opts)
	}
	if !fi.Mode().IsRegular() {
		return nil, xerr.Input(path, "not a regular file or folder", hintSource)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read source", Err: err,
			Hint: "check that you may read the file"}
	}
	defer f.Close()
	return openReader(path, f, fi.Size(), opts, true)
}

// FromBytes is Open for a source already in memory, such as an e-print
// downloaded from arXiv: data may be a tar, tar.gz, zip, gzip-compressed
// .tex, or bare .tex file. The name stands for the path in Root, warnings and
// errors, and names the file of a single-file source ("2501.00663.gz" holds
// "2501.00663.tex"). Unlike Open with a .tex file, no folder is read.
func FromBytes(name string, data []byte, opts Options) (*Bundle, error) {
	opts = opts.withDefaults()
	return openReader(name, bytes.NewReader(data), int64(len(data)), opts, false)
}

const hintSource = "SOURCE is a paper: its LaTeX source (a folder, its main .tex file, or a .tar.gz/.tar/.gz archive such as an arXiv e-print), a PDF, or a Markdown or text file (.md, .txt)"

// finish sorts the file lists and settles the main file: opts.MainFile if
// given, else main if not empty, else detection.
func (b *Bundle) finish(opts Options, main string) error {
	b.Order = make([]string, 0, len(b.Files))
	for k := range b.Files {
		b.Order = append(b.Order, k)
	}
	sort.Strings(b.Order)
	b.Assets = sortedUnique(b.Assets, b.Files)

	if len(b.Files) == 0 {
		switch {
		case len(b.Assets) > 0:
			return xerr.Input(b.Root, "no LaTeX files (.tex) found", hintSource)
		case b.Kind == KindDir:
			return xerr.Input(b.Root, "folder is empty", hintSource)
		default:
			return xerr.Input(b.Root, "source is empty", hintSource)
		}
	}
	if opts.MainFile != "" {
		key, ok := b.lookupMain(opts.MainFile)
		if !ok {
			return xerr.Input(b.Root, fmt.Sprintf("main file %q not found in the source", opts.MainFile), b.texListHint())
		}
		b.Main = key
		return nil
	}
	if main != "" {
		b.Main = main
		return nil
	}
	m, err := detectMain(b)
	if err != nil {
		return err
	}
	b.Main = m
	return nil
}

// lookupMain finds the file the user named as main.
func (b *Bundle) lookupMain(name string) (string, bool) {
	if k, ok := b.Resolve("", filepath.ToSlash(name), ".tex"); ok {
		return k, true
	}
	// A path that includes the source folder, or an absolute one.
	if b.Kind == KindDir || b.Kind == KindTeX {
		dir := b.Root
		if b.Kind == KindTeX {
			dir = filepath.Dir(b.Root)
		}
		absDir, err1 := filepath.Abs(dir)
		absName, err2 := filepath.Abs(name)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absDir, absName); err == nil && !escapes(filepath.ToSlash(rel)) {
				return b.Resolve("", filepath.ToSlash(rel), ".tex")
			}
		}
	}
	return "", false
}

// texListHint lists the source's .tex files for an error hint.
func (b *Bundle) texListHint() string {
	var tex []string
	for _, k := range b.Order {
		if isTeXName(k) {
			tex = append(tex, k)
		}
	}
	if len(tex) == 0 {
		return "the source holds no .tex files"
	}
	more := ""
	if len(tex) > 10 {
		more = fmt.Sprintf(" and %d more", len(tex)-10)
		tex = tex[:10]
	}
	return "the source's .tex files are: " + strings.Join(tex, ", ") + more
}

// sortedUnique sorts names, dropping duplicates and names that are in files.
func sortedUnique(names []string, files map[string][]byte) []string {
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if i > 0 && n == names[i-1] {
			continue
		}
		if _, ok := files[n]; ok {
			continue
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cleanKey cleans a slash-separated name into the form of a Files key.
func cleanKey(name string) string {
	c := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	return strings.TrimPrefix(c, "/")
}

// isAbs reports whether a slash-separated name is absolute, on Unix or
// Windows ("/x", "C:/x", "C:x").
func isAbs(name string) bool {
	if strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) {
		return true
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20) >= 'a' && (name[0]|0x20) <= 'z' {
		return true
	}
	return false
}

// escapes reports whether a cleaned relative path leaves its root.
func escapes(p string) bool {
	return p == ".." || strings.HasPrefix(p, "../")
}
