package arxiv

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"1", time.Second},
		{" 120 ", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"86400", maxWait},
		{"99999999999999999999", 0}, // overflows: ignored
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{now.Add(24 * time.Hour).Format(http.TimeFormat), maxWait},
		{"Tuesday, 04-Mar-25 10:00:10 GMT", 10 * time.Second}, // RFC 850
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := NewClient(Options{MinInterval: 100 * time.Millisecond})
	for _, j := range []float64{0, 0.5, 0.999} {
		c.jitter = func() float64 { return j }
		for attempt, base := range []time.Duration{100, 200, 400, 800, 1600} {
			base *= time.Millisecond
			got := c.backoff(attempt)
			want := base/2 + time.Duration(j*float64(base))
			if got != want {
				t.Errorf("jitter %v: backoff(%d) = %v, want %v", j, attempt, got, want)
			}
		}
		if got := c.backoff(30); got > maxWait {
			t.Errorf("backoff(30) = %v", got)
		}
	}
	c = NewClient(Options{})
	if c.minInterval != DefaultMinInterval || c.maxRetries != DefaultMaxRetries || c.timeout != DefaultTimeout ||
		c.stall != DefaultStallTimeout || c.maxBytes != DefaultMaxBytes {
		t.Errorf("defaults: %+v", c)
	}
	c = NewClient(Options{MinInterval: -1, MaxRetries: -1})
	if c.minInterval != 0 || c.maxRetries != 0 {
		t.Errorf("negative options: interval %v, retries %d", c.minInterval, c.maxRetries)
	}
	c.jitter = func() float64 { return 0.5 }
	if got := c.backoff(0); got != time.Second {
		t.Errorf("backoff without an interval = %v", got)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestDetectKind(t *testing.T) {
	tex := []byte("\\documentclass{article}\n\\begin{document}x\\end{document}\n")
	v7 := make([]byte, 1024) // an old tar header without the ustar magic
	copy(v7, "a.tex")
	copy(v7[100:], "0000644\x00")
	copy(v7[124:], "00000000000\x00")
	var sum int
	for i, c := range v7[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int(c)
	}
	copy(v7[148:], []byte(itoa8(sum)+"\x00 "))
	tests := []struct {
		name      string
		data      []byte
		kind      string
		permanent bool
	}{
		{"tex", tex, KindTeX, false},
		{"gz tex", gz(tex), KindGz, false},
		{"v7 tar", v7, KindTar, false},
		{"gz v7 tar", gz(v7), KindTarGz, false},
		{"pdf", []byte("%PDF-1.4\n..."), KindPDF, false},
		{"gz pdf", gz([]byte("%PDF-1.4\n...")), KindPDF, false},
		{"empty", nil, "", true},
		{"gz empty", gz(nil), "", true},
		{"html", []byte("<!doctype html><p>x"), "", true},
		{"binary", []byte{0, 1, 2, 3}, "", true},
		{"cut gz", gz(tex)[:20], "", false},
		{"bad gz header", []byte{0x1f, 0x8b, 0, 0}, "", false},
	}
	for _, tt := range tests {
		kind, out, err := detectKind(tt.data, 1<<20)
		_, perm := err.(*permanentError)
		if kind != tt.kind || perm != tt.permanent || (tt.kind == "" && err == nil) {
			t.Errorf("%s: kind %q, error %v (permanent %v)", tt.name, kind, err, perm)
		}
		if kind == KindPDF && !bytes.HasPrefix(out, []byte("%PDF-")) {
			t.Errorf("%s: data %.10q", tt.name, out)
		}
	}
}

func itoa8(n int) string {
	s := ""
	for i := 0; i < 6; i++ {
		s = string(rune('0'+n%8)) + s
		n /= 8
	}
	return s
}
