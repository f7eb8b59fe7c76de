package source

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"path/filepath"
	"strings"

	"github.com/reprohq/repro/internal/xerr"
)

// maxOtherSize caps the size of a file of unknown type that is still read as
// text (when it holds no NUL byte). Larger ones are listed as assets.
const maxOtherSize = 1 << 20

// maxEntryWarnings caps the warnings about skipped archive entries; the rest
// are summed up in one more warning.
const maxEntryWarnings = 20

// textExts are the extensions of files always read as text.
var textExts = setOf(".tex", ".ltx", ".sty", ".cls", ".bib", ".bbl", ".bst", ".def", ".cfg", ".clo",
	".txt", ".json", ".fd", ".dtx", ".ins", ".bbx", ".cbx", ".lbx", ".dbx", ".tikz", ".pgf", ".md")

// binaryExts are the extensions of files never read: images, documents,
// archives, fonts, media, data and build products.
var binaryExts = setOf(
	".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".ico", ".svg", ".svgz",
	".eps", ".ps", ".pdf", ".jbig2", ".jb2", ".heic", ".psd", ".ai", ".emf", ".wmf", ".xcf",
	".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst", ".z",
	".ttf", ".otf", ".pfb", ".pfm", ".tfm", ".vf", ".woff", ".woff2",
	".dvi", ".xdv", ".synctex",
	".mp3", ".mp4", ".wav", ".ogg", ".mov", ".avi", ".mkv", ".webm", ".gifv",
	".npy", ".npz", ".pkl", ".pickle", ".pt", ".pth", ".h5", ".hdf5", ".mat", ".parquet", ".bin", ".onnx",
	".o", ".a", ".so", ".dylib", ".dll", ".exe", ".class", ".jar", ".pyc",
	".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".key", ".pages", ".numbers",
)

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

type fileClass int

const (
	classText   fileClass = iota // read
	classOther                   // read if small and free of NUL bytes
	classBinary                  // not read
)

func classify(name string) fileClass {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case textExts[ext]:
		return classText
	case binaryExts[ext]:
		return classBinary
	}
	return classOther
}

// ignoredPath reports whether a cleaned source path is junk to skip
// silently: inside a hidden folder (.git, .svn), macOS metadata (__MACOSX,
// ._foo, .DS_Store).
func ignoredPath(key string) bool {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		last := i == len(parts)-1
		switch {
		case !last && (strings.HasPrefix(p, ".") || p == "__MACOSX"):
			return true
		case last && (strings.HasPrefix(p, "._") || p == ".DS_Store"):
			return true
		}
	}
	return false
}

// entryKey turns an archive entry name into a Files key. It returns a reason
// when the name is unsafe, and an empty key with no reason for names to skip
// silently (the root itself, junk).
func entryKey(name string) (key, reason string) {
	n := strings.ReplaceAll(name, `\`, "/")
	switch {
	case n == "":
		return "", "empty name"
	case strings.ContainsRune(n, 0):
		return "", "invalid name"
	case isAbs(n):
		return "", "absolute path"
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return "", "path climbs out of the source root"
		}
	}
	key = path.Clean(n)
	if key == "." || ignoredPath(key) {
		return "", ""
	}
	return key, ""
}

// collector gathers files into a bundle, enforcing the limits.
type collector struct {
	b     *Bundle
	opts  Options
	files int   // files seen
	bytes int64 // bytes read
	// soft makes the limits stop the collection with a warning (errStop)
	// instead of failing.
	soft bool
	// skipped counts the archive entries skipped beyond maxEntryWarnings.
	skipped int
	nwarn   int
}

// errStop ends a soft-limited walk early.
var errStop = errors.New("stop")

func (c *collector) skipEntry(name, why string) {
	if c.nwarn >= maxEntryWarnings {
		c.skipped++
		return
	}
	c.nwarn++
	c.b.warn(c.b.Root, "skipped archive entry %q: %s", name, why)
}

func (c *collector) flushSkipped() {
	if c.skipped > 0 {
		c.b.warn(c.b.Root, "skipped %d more unsafe archive entries", c.skipped)
		c.skipped = 0
	}
}

func (c *collector) tooManyFiles() error {
	if c.soft {
		c.b.warn(c.b.Root, "the folder holds more than %d files; the rest were not read (put the paper in a folder of its own)", c.opts.MaxFiles)
		return errStop
	}
	return xerr.Input(c.b.Root, fmt.Sprintf("source has more than %d files", c.opts.MaxFiles),
		"this is not a single paper's source, or an archive bomb; pass the paper's own folder or archive")
}

func (c *collector) tooBig() error {
	if c.soft {
		c.b.warn(c.b.Root, "the folder holds more than %s of text; the rest was not read (put the paper in a folder of its own)", humanBytes(c.opts.MaxBytes))
		return errStop
	}
	return xerr.Input(c.b.Root, fmt.Sprintf("source is larger than %s uncompressed", humanBytes(c.opts.MaxBytes)),
		"this is not a single paper's source, or an archive bomb; pass the paper's own folder or archive")
}

// file considers one file of the source: a text file is read into the
// bundle with open, a binary one is listed as an asset. size is the size
// announced by the file system or archive, which may lie.
func (c *collector) file(key string, size int64, open func() (io.ReadCloser, error)) error {
	c.files++
	if c.files > c.opts.MaxFiles {
		return c.tooManyFiles()
	}
	class := classify(key)
	if class == classBinary || (class == classOther && size > maxOtherSize) {
		c.b.Assets = append(c.b.Assets, key)
		return nil
	}
	budget := c.opts.MaxBytes - c.bytes
	if size > budget {
		return c.tooBig()
	}
	rc, err := open()
	if err != nil {
		return err
	}
	limit := budget
	if class == classOther {
		limit = min(limit, maxOtherSize)
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	rc.Close()
	if err != nil {
		return err
	}
	if int64(len(data)) > limit {
		if class == classOther {
			c.b.Assets = append(c.b.Assets, key)
			return nil
		}
		return c.tooBig()
	}
	c.bytes += int64(len(data))
	if class == classOther && bytes.IndexByte(data, 0) >= 0 {
		c.b.Assets = append(c.b.Assets, key)
		return nil
	}
	c.b.Files[key] = data
	return nil
}

// countingReader fails with errTooBig once more than max bytes were read.
type countingReader struct {
	r        io.Reader
	n, max   int64
	exceeded bool
}

var errTooBig = errors.New("source too big")

func (l *countingReader) Read(p []byte) (int, error) {
	if l.exceeded {
		return 0, errTooBig
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		l.exceeded = true
		return n, errTooBig
	}
	return n, err
}

// Magic numbers.
var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicZip    = []byte("PK\x03\x04")
	magicZipEnd = []byte("PK\x05\x06") // empty zip
	magicBzip2  = []byte("BZh")
	magicXz     = []byte("\xfd7zXZ\x00")
	magicZstd   = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magic7z     = []byte("7z\xbc\xaf\x27\x1c")
	magicRar    = []byte("Rar!\x1a\x07")
	magicPDF    = []byte("%PDF")
)

// isTar reports whether block looks like the first header of a tar archive:
// it carries the ustar magic or a valid header checksum.
func isTar(block []byte) bool {
	if len(block) < 512 {
		return false
	}
	if bytes.Equal(block[257:262], []byte("ustar")) {
		return true
	}
	// Old (V7) tar: check the header checksum, computed with the checksum
	// field itself counted as spaces.
	field := strings.Trim(string(block[148:156]), " \x00")
	if field == "" {
		return false
	}
	var want int64
	for _, ch := range field {
		if ch < '0' || ch > '7' {
			return false
		}
		want = want*8 + int64(ch-'0')
		if want > 1<<20 {
			return false
		}
	}
	var sum int64
	for i, ch := range block[:512] {
		if i >= 148 && i < 156 {
			ch = ' '
		}
		sum += int64(ch)
	}
	return sum == want && block[0] != 0
}

// openReader reads a source file (not a folder) from ra. onDisk says that
// root is a file on disk, whose folder may be read for a .tex file.
// textKind gives the kind of a Markdown or plain-text paper by its name, or
// "".
func textKind(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown", ".mdown":
		return KindMarkdown
	case ".txt", ".text":
		return KindText
	}
	return ""
}

// single reads a one-file paper that is not LaTeX (a PDF, Markdown or
// text) into a bundle of that one file.
func single(root string, ra io.ReaderAt, size int64, opts Options, kind string) (*Bundle, error) {
	if size > opts.MaxBytes {
		return nil, xerr.Input(root, fmt.Sprintf("file is larger than %s", humanBytes(opts.MaxBytes)), hintSource)
	}
	data := make([]byte, size)
	if _, err := ra.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: root, Msg: "cannot read source", Err: err, Hint: "check that the file exists and that you may read it"}
	}
	b := newBundle(root, kind)
	name := filepath.Base(filepath.FromSlash(root))
	if name == "" || name == "." || name == string(filepath.Separator) {
		name = "paper." + kind
	}
	b.Files[name] = data
	b.Order = []string{name}
	b.Main = name
	return b, nil
}

func openReader(root string, ra io.ReaderAt, size int64, opts Options, onDisk bool) (*Bundle, error) {
	if size == 0 {
		return nil, xerr.Input(root, "file is empty", hintSource)
	}
	head := make([]byte, 512)
	n, err := ra.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: root, Msg: "cannot read source", Err: err, Hint: "check that the file exists and that you may read it"}
	}
	head = head[:n]
	sr := io.NewSectionReader(ra, 0, size)

	switch {
	case bytes.HasPrefix(head, magicGzip):
		return openGzip(root, sr, opts)
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZipEnd):
		return openZip(root, ra, size, opts)
	case isTar(head):
		c := &collector{b: newBundle(root, KindTar), opts: opts}
		return c.readTar(sr)
	case bytes.HasPrefix(head, magicBzip2), bytes.HasPrefix(head, magicXz), bytes.HasPrefix(head, magicZstd),
		bytes.HasPrefix(head, magic7z), bytes.HasPrefix(head, magicRar):
		return nil, xerr.Input(root, "unsupported archive format",
			"unpack the archive and pass the folder, or repack it as .tar.gz")
	case bytes.HasPrefix(head, magicPDF) && !isTeXName(root), strings.EqualFold(filepath.Ext(root), ".pdf"):
		// A .pdf that is not one is left to the PDF reader to explain.
		return single(root, ra, size, opts, KindPDF)
	}

	tex := isTeXName(root)
	if kind := textKind(root); kind != "" && !tex {
		return single(root, ra, size, opts, kind)
	}
	if onDisk && tex {
		return openTeX(root, opts)
	}
	if size > opts.MaxBytes {
		return nil, xerr.Input(root, fmt.Sprintf("file is larger than %s", humanBytes(opts.MaxBytes)), hintSource)
	}
	data := make([]byte, size)
	if _, err := ra.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: root, Msg: "cannot read source", Err: err, Hint: "check that the file exists and that you may read it"}
	}
	if !tex && (bytes.IndexByte(data, 0) >= 0 || !looksLikeLaTeX(data)) {
		return nil, xerr.Input(root, "not a LaTeX source (no \\documentclass or \\begin{document}, and not an archive)", hintSource)
	}
	b := newBundle(root, KindTeX)
	name := singleName(root)
	b.Files[name] = data
	if err := b.finish(opts, name); err != nil {
		return nil, err
	}
	return b, nil
}

// openGzip reads a gzip-compressed source: a tar archive or a single file.
func openGzip(root string, r io.Reader, opts Options) (*Bundle, error) {
	zr, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return nil, corrupt(root, "corrupt gzip file", err)
	}
	defer zr.Close()
	lim := &countingReader{r: zr, max: opts.MaxBytes}
	br := bufio.NewReaderSize(lim, 4096)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF {
		if lim.exceeded {
			return nil, (&collector{b: newBundle(root, KindGz), opts: opts}).tooBig()
		}
		return nil, corrupt(root, "corrupt gzip file", err)
	}
	if isTar(head) {
		c := &collector{b: newBundle(root, KindTarGz), opts: opts}
		b, err := c.readTar(br)
		if err == nil {
			// Read to the end, so that the gzip checksum catches a
			// truncated or damaged download.
			_, err = io.Copy(io.Discard, br)
			if err != nil {
				err = corrupt(root, "corrupt gzip file", err)
			}
		}
		if err != nil && lim.exceeded {
			return nil, c.tooBig()
		}
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	b := newBundle(root, KindGz)
	data, err := io.ReadAll(br)
	if err != nil {
		if lim.exceeded {
			return nil, (&collector{b: b, opts: opts}).tooBig()
		}
		return nil, corrupt(root, "corrupt gzip file", err)
	}
	if len(data) == 0 {
		return nil, xerr.Input(root, "gzip file is empty", hintSource)
	}
	if bytes.IndexByte(data, 0) >= 0 || bytes.HasPrefix(data, magicPDF) {
		return nil, xerr.Input(root, "not a LaTeX source: the gzip file holds neither a tar archive nor a .tex file", hintSource)
	}
	name := singleName(root)
	b.Files[name] = data
	if err := b.finish(opts, name); err != nil {
		return nil, err
	}
	return b, nil
}

// readTar reads a tar archive into the collector's bundle.
func (c *collector) readTar(r io.Reader) (*Bundle, error) {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			return nil, c.streamErr("corrupt tar archive", err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir, tar.TypeXGlobalHeader:
			continue
		case tar.TypeReg, '\x00', tar.TypeCont:
		case tar.TypeSymlink:
			c.skipEntry(hdr.Name, "symbolic link")
			continue
		case tar.TypeLink:
			c.skipEntry(hdr.Name, "hard link")
			continue
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			c.skipEntry(hdr.Name, "device or pipe")
			continue
		default:
			c.skipEntry(hdr.Name, fmt.Sprintf("unsupported entry type %q", hdr.Typeflag))
			continue
		}
		key, why := entryKey(hdr.Name)
		if why != "" {
			c.skipEntry(hdr.Name, why)
			continue
		}
		if key == "" {
			continue
		}
		err = c.file(key, hdr.Size, func() (io.ReadCloser, error) { return io.NopCloser(tr), nil })
		if err != nil {
			return nil, c.streamErr("corrupt tar archive", err)
		}
	}
	c.flushSkipped()
	if err := c.b.finish(c.opts, ""); err != nil {
		return nil, err
	}
	return c.b, nil
}

// streamErr turns an error met while reading an archive into a user error:
// the limit errors as they are, others as a corrupt archive.
func (c *collector) streamErr(msg string, err error) error {
	var xe *xerr.Error
	switch {
	case errors.As(err, &xe):
		return err
	case errors.Is(err, errTooBig):
		return c.tooBig()
	}
	return corrupt(c.b.Root, msg, err)
}

func corrupt(root, msg string, err error) error {
	return &xerr.Error{Kind: xerr.KindInput, File: root, Msg: msg, Err: err,
		Hint: "the file may be truncated or damaged; download it again"}
}

// openZip reads a zip archive.
func openZip(root string, ra io.ReaderAt, size int64, opts Options) (*Bundle, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, corrupt(root, "corrupt zip archive", err)
	}
	c := &collector{b: newBundle(root, KindZip), opts: opts}
	if len(zr.File) > opts.MaxFiles {
		return nil, c.tooManyFiles()
	}
	for _, f := range zr.File {
		mode := f.Mode()
		switch {
		case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
			continue
		case mode&fs.ModeSymlink != 0:
			c.skipEntry(f.Name, "symbolic link")
			continue
		case !mode.IsRegular():
			c.skipEntry(f.Name, "device or pipe")
			continue
		}
		key, why := entryKey(f.Name)
		if why != "" {
			c.skipEntry(f.Name, why)
			continue
		}
		if key == "" {
			continue
		}
		size := int64(math.MaxInt64)
		if f.UncompressedSize64 < math.MaxInt64 {
			size = int64(f.UncompressedSize64)
		}
		if err := c.file(key, size, f.Open); err != nil {
			return nil, c.streamErr("corrupt zip archive", err)
		}
	}
	c.flushSkipped()
	if err := c.b.finish(opts, ""); err != nil {
		return nil, err
	}
	return c.b, nil
}

// singleName names the one file of a single-file source after the source:
// "2501.00663.gz" and "2501.00663" hold "2501.00663.tex", "paper.tex.gz"
// holds "paper.tex"; "main.tex" when no name can be derived.
func singleName(root string) string {
	base := path.Base(filepath.ToSlash(root))
	for _, ext := range []string{".gz", ".gzip", ".tgz", ".tar"} {
		if len(base) > len(ext) && strings.EqualFold(base[len(base)-len(ext):], ext) {
			base = base[:len(base)-len(ext)]
		}
	}
	if base == "" || base == "." || base == "/" || base == ".." || strings.HasPrefix(base, ".") {
		return "main.tex"
	}
	if isTeXName(base) {
		return base
	}
	return base + ".tex"
}

// isTeXName reports whether name has a LaTeX document extension.
func isTeXName(name string) bool {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(name)))
	return ext == ".tex" || ext == ".ltx"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
