package pdf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// FuzzRead feeds arbitrary bytes to Read: it must not panic, and every
// error must be an input *xerr.Error.
func FuzzRead(f *testing.F) {
	f.Add(helloPDF)
	f.Add(rectPDF)
	f.Add(noPagePDF)
	f.Add([]byte("%PDF-1.4\n"))
	if enc, err := os.ReadFile(filepath.Join("testdata", "encrypted.pdf")); err == nil {
		f.Add(enc)
	}
	if tiny, err := os.ReadFile(filepath.Join("testdata", "tinyformer.pdf")); err == nil {
		for _, n := range []int{200, 2000, 20000, len(tiny) / 2} {
			f.Add(tiny[:n])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(context.Background(), "fuzz.pdf", data, Options{PageTimeout: 5 * time.Second})
		if err == nil {
			return
		}
		var xe *xerr.Error
		if !errors.As(err, &xe) || xe.Kind != xerr.KindInput || xe.Msg == "" || xe.Hint == "" {
			t.Fatalf("error %v (%T) is not an input *xerr.Error with a hint", err, err)
		}
	})
}
