package scaffold

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strings"

	"github.com/reprohq/repro/internal/region"
)

// Every generated text file carries a marker with the SHA-256 of its
// generated body, so that a later run can tell a file the user changed
// from one it may regenerate:
//
//   - .py, .toml, .yaml, .sh, .gitignore: a last line
//     "# repro:generated sha256=<hex> ..."; the body is the file without
//     that line;
//   - .md: the same as an HTML comment, <!-- repro:generated ... -->;
//   - .ipynb: the notebook metadata key "repro": {"generated":
//     "sha256=<hex>"}; the body is the file with the hex digits set to
//     zeros;
//   - files that cannot hold a comment (.python-version) have no marker:
//     an existing one that differs is the user's.
const markerWord = "repro:generated"

var markerRe = regexp.MustCompile(`repro:generated sha256=([0-9a-f]{64})`)

// zeroHash stands for the hash in a notebook while it is computed.
var zeroHash = strings.Repeat("0", 64)

// markStyle is how a file holds its marker.
type markStyle int

const (
	markNone markStyle = iota
	markHash           // "# ..." line
	markHTML           // "<!-- ... -->" line
	markJSON           // notebook metadata
)

func styleOf(p string) markStyle {
	switch path.Ext(p) {
	case ".py", ".toml", ".yaml", ".yml", ".sh":
		return markHash
	case ".md":
		return markHTML
	case ".ipynb":
		return markJSON
	}
	if path.Base(p) == ".gitignore" {
		return markHash
	}
	return markNone
}

// hashOf is the hash of a generated body. The regions of a Markdown file
// (package region: the parts repro check and repro bench rewrite) are
// emptied first, so that updating them does not make the file look changed
// by the user.
func hashOf(b []byte) string {
	h := sha256.Sum256(region.Strip(b))
	return hex.EncodeToString(h[:])
}

// markerNote follows the hash on the marker line.
func markerNote(version string) string {
	by := "repro"
	if version != "" {
		by += " " + version
	}
	return "(" + by + "; edit freely: repro leaves a changed file alone)"
}

// mark returns the file for a generated body: the body with its marker.
// A notebook body must hold the zero hash where the hash goes.
func mark(p string, body []byte, version string) []byte {
	switch styleOf(p) {
	case markHash:
		return append(body, []byte("# "+markerWord+" sha256="+hashOf(body)+" "+markerNote(version)+"\n")...)
	case markHTML:
		return append(body, []byte("<!-- "+markerWord+" sha256="+hashOf(body)+" "+markerNote(version)+" -->\n")...)
	case markJSON:
		return bytes.Replace(body, []byte(zeroHash), []byte(hashOf(body)), 1)
	}
	return body
}

// unmark splits an existing file into its body and the hash its marker
// records; ok is false when it has no marker.
func unmark(p string, data []byte) (body []byte, recorded string, ok bool) {
	switch styleOf(p) {
	case markHash, markHTML:
		// The last line that is a marker comment.
		lines := bytes.SplitAfter(data, []byte("\n"))
		for i := len(lines) - 1; i >= 0; i-- {
			l := lines[i]
			if !bytes.HasPrefix(l, []byte("# "+markerWord)) && !bytes.HasPrefix(l, []byte("<!-- "+markerWord)) {
				continue
			}
			if m := markerRe.FindSubmatch(l); m != nil {
				return bytes.Join(append(lines[:i:i], lines[i+1:]...), nil), string(m[1]), true
			}
		}
		return data, "", false
	case markJSON:
		loc := markerRe.FindSubmatchIndex(data)
		if loc == nil {
			return data, "", false
		}
		out := bytes.Clone(data)
		copy(out[loc[2]:loc[3]], zeroHash)
		return out, string(data[loc[2]:loc[3]]), true
	}
	return data, "", false
}

// verdict is what to do with one generated file.
type verdict int

const (
	write     verdict = iota // new, or generated before and not changed since
	unchanged                // already what would be written
	kept                     // changed by the user: left alone
)

// judge decides for a file whose generated body is body, given the current
// content (nil when the file does not exist).
func judge(p string, current []byte, exists bool, body []byte) verdict {
	if !exists {
		return write
	}
	old, recorded, ok := unmark(p, current)
	if bytes.Equal(old, body) || (styleOf(p) == markHTML && bytes.Equal(region.Strip(old), region.Strip(body))) {
		return unchanged
	}
	if !ok || hashOf(old) != recorded {
		return kept
	}
	return write
}
