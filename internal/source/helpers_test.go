package source

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/xerr"
)

// entry is one member of a test archive.
type entry struct {
	name     string
	body     string
	typeflag byte   // tar.TypeReg when zero
	link     string // for links
}

// makeTar builds a tar archive, gzip-compressed when gz is set.
func makeTar(t testing.TB, gz bool, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: e.typeflag, Linkname: e.link}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
		}
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if gz {
		return gzipBytes(t, buf.Bytes())
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.typeflag == tar.TypeSymlink {
			h.SetMode(os.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTree writes files (slash-separated names) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t testing.TB, p string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// hasWarning reports whether some warning's message contains all of parts.
func hasWarning(ws []doc.Warning, parts ...string) bool {
	for _, w := range ws {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(w.Message, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// checkInputErr checks that err is a KindInput xerr with a hint whose
// message contains want.
func checkInputErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	if xerr.KindOf(err) != xerr.KindInput {
		t.Errorf("error %v: kind %v, want KindInput", err, xerr.KindOf(err))
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if xerr.HintOf(err) == "" {
		t.Errorf("error %q has no hint", err)
	}
}

// checkBundle checks the invariants of a bundle.
func checkBundle(t testing.TB, b *Bundle) {
	t.Helper()
	if _, ok := b.Files[b.Main]; !ok {
		t.Errorf("main %q is not a file of the bundle", b.Main)
	}
	if len(b.Order) != len(b.Files) {
		t.Errorf("Order has %d names, Files %d", len(b.Order), len(b.Files))
	}
	for i, k := range b.Order {
		if i > 0 && b.Order[i-1] >= k {
			t.Errorf("Order not sorted at %q", k)
		}
		if _, ok := b.Files[k]; !ok {
			t.Errorf("Order has %q, not in Files", k)
		}
		if k != cleanKey(k) || escapes(k) || isAbs(k) || k == "." {
			t.Errorf("unsafe key %q", k)
		}
	}
}

const (
	art  = "\\documentclass{article}\n\\begin{document}\nHello.\n\\end{document}\n"
	body = "\\section{Intro}\nText.\n"
)
