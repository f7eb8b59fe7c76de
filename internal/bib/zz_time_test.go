package bib

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTimeCache(t *testing.T) {
	dir := os.Getenv("FUZZCACHE")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		lines := strings.SplitN(string(b), "\n", 3)
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Log(f, err)
			continue
		}
		start := time.Now()
		if strings.Contains(f, "Bbl") {
			ParseBbl("x", []byte(s))
		} else {
			e, _ := ParseBib("x", []byte(s))
			References(e)
		}
		t.Logf("%s %d bytes %v", filepath.Base(f), len(s), time.Since(start))
	}
}
