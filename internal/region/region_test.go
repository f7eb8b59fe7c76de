package region

import (
	"bytes"
	"testing"
)

func TestReplace(t *testing.T) {
	doc := "# T\n\n<!-- repro:begin status -->\nold\n<!-- repro:end status -->\n\ntail\n"
	tests := []struct {
		name, in, region, content, want string
		ok                              bool
	}{
		{"replace", doc, "status", "new\n", "# T\n\n<!-- repro:begin status -->\nnew\n<!-- repro:end status -->\n\ntail\n", true},
		{"adds the final newline", doc, "status", "new", "# T\n\n<!-- repro:begin status -->\nnew\n<!-- repro:end status -->\n\ntail\n", true},
		{"empty", doc, "status", "", "# T\n\n<!-- repro:begin status -->\n<!-- repro:end status -->\n\ntail\n", true},
		{"other region", doc, "benchmarks", "x", doc, false},
		{"no end", "<!-- repro:begin a -->\nx\n", "a", "y", "<!-- repro:begin a -->\nx\n", false},
		{"end not at a line start", "<!-- repro:begin a -->\nx <!-- repro:end a -->\n", "a", "y", "<!-- repro:begin a -->\nx <!-- repro:end a -->\n", false},
		{"CRLF begin line", "<!-- repro:begin a -->\r\nx\n<!-- repro:end a -->\n", "a", "y\n", "<!-- repro:begin a -->\r\ny\n<!-- repro:end a -->\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Replace([]byte(tt.in), tt.region, []byte(tt.content))
			if ok != tt.ok || string(got) != tt.want {
				t.Errorf("Replace = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestStripCarryGet(t *testing.T) {
	a := []byte("x\n" + string(Wrap("one", []byte("1\n"))) + "y\n" + string(Wrap("two", []byte("2"))) + "z\n")
	if got := string(Strip(a)); got != "x\n<!-- repro:begin one -->\n<!-- repro:end one -->\ny\n<!-- repro:begin two -->\n<!-- repro:end two -->\nz\n" {
		t.Errorf("Strip = %q", got)
	}
	if got, ok := Get(a, "two"); !ok || string(got) != "2\n" {
		t.Errorf("Get = %q, %v", got, ok)
	}
	if n := Names(a); len(n) != 2 || n[0] != "one" || n[1] != "two" {
		t.Errorf("Names = %v", n)
	}
	// Carry fills the regions of a new version with the old content.
	fresh := []byte("new header\n" + string(Wrap("two", nil)) + string(Wrap("three", []byte("3\n"))))
	got := Carry(a, fresh)
	want := "new header\n<!-- repro:begin two -->\n2\n<!-- repro:end two -->\n<!-- repro:begin three -->\n3\n<!-- repro:end three -->\n"
	if string(got) != want {
		t.Errorf("Carry = %q, want %q", got, want)
	}
	// Two files that differ only inside regions strip to the same bytes.
	if !bytes.Equal(Strip(a), Strip([]byte("x\n"+string(Wrap("one", []byte("other\n")))+"y\n"+string(Wrap("two", nil))+"z\n"))) {
		t.Error("Strip depends on the regions' content")
	}
}

func FuzzRegion(f *testing.F) {
	f.Add([]byte("<!-- repro:begin a -->\nx\n<!-- repro:end a -->\n"), "a", []byte("y"))
	f.Add([]byte("<!-- repro:begin a -->\n<!-- repro:begin b -->\n<!-- repro:end a -->\n<!-- repro:end b -->\n"), "b", []byte(""))
	f.Fuzz(func(t *testing.T, data []byte, name string, content []byte) {
		out, ok := Replace(data, name, content)
		if !ok && !bytes.Equal(out, data) {
			t.Fatal("a failed Replace changed the data")
		}
		if ok {
			// Replacing again with the same content changes nothing, and
			// the region reads back as written.
			again, _ := Replace(out, name, content)
			if !bytes.Equal(again, out) {
				t.Fatalf("Replace is not idempotent: %q then %q", out, again)
			}
		}
		s := Strip(data)
		if !bytes.Equal(Strip(s), s) {
			t.Fatal("Strip is not idempotent")
		}
		_ = Carry(data, s)
	})
}
