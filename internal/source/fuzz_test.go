package source

import (
	"archive/tar"
	"testing"

	"github.com/reprohq/repro/internal/xerr"
)

// FuzzOpenArchive feeds arbitrary bytes to FromBytes as an archive: it must
// never panic, must fail only with input errors, and must return only
// well-formed bundles.
func FuzzOpenArchive(f *testing.F) {
	f.Add(makeTar(f, true, entry{name: "main.tex", body: art}, entry{name: "sec/a.tex", body: body}))
	f.Add(makeTar(f, false, entry{name: "main.tex", body: art}, entry{name: "../x", body: "x"},
		entry{name: "l", typeflag: tar.TypeSymlink, link: "/etc/passwd"}))
	f.Add(gzipBytes(f, []byte(art)))
	f.Add(makeZip(f, entry{name: "main.tex", body: art}, entry{name: "/abs", body: "x"}))
	f.Add([]byte(art))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := FromBytes("fuzz.tar.gz", data, Options{MaxBytes: 1 << 20, MaxFiles: 100})
		if err != nil {
			if xerr.KindOf(err) != xerr.KindInput {
				t.Fatalf("error of kind %v: %v", xerr.KindOf(err), err)
			}
			return
		}
		checkBundle(t, b)
		b.Resolve(b.Main, "x", ".tex")
	})
}
