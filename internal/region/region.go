// Package region maintains the parts of a generated Markdown file that
// repro's later commands own: a region is the text between
//
//	<!-- repro:begin NAME -->
//	<!-- repro:end NAME -->
//
// and repro check or repro bench replace it without touching the rest of the
// file. The scaffolder hashes a file with its regions emptied (Strip), so a
// region's update does not make the file look edited by the user, and it
// carries the regions' current content over when it regenerates the file
// (Carry).
package region

import (
	"bytes"
	"regexp"
)

var beginRe = regexp.MustCompile(`(?m)^<!-- repro:begin ([a-z0-9_-]+) -->[ \t]*\r?\n`)

// Begin and End return the marker lines of region name.
func Begin(name string) string { return "<!-- repro:begin " + name + " -->\n" }
func End(name string) string   { return "<!-- repro:end " + name + " -->\n" }

// Wrap returns content as the region name, markers included.
func Wrap(name string, content []byte) []byte {
	var b bytes.Buffer
	b.WriteString(Begin(name))
	b.Write(content)
	if len(content) > 0 && content[len(content)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(End(name))
	return b.Bytes()
}

// span is one region: the bytes of its content in the file.
type span struct {
	name       string
	start, end int // content, between the begin line and the end line
}

func spans(data []byte) []span {
	var out []span
	for _, m := range beginRe.FindAllSubmatchIndex(data, -1) {
		name := string(data[m[2]:m[3]])
		if len(out) > 0 && m[0] < out[len(out)-1].end {
			continue // nested or unterminated: the outer region wins
		}
		endLine := []byte("<!-- repro:end " + name + " -->")
		i := bytes.Index(data[m[1]:], endLine)
		if i < 0 {
			continue
		}
		// The end marker must start a line.
		if j := m[1] + i; j > 0 && data[j-1] != '\n' {
			continue
		}
		out = append(out, span{name: name, start: m[1], end: m[1] + i})
	}
	return out
}

// Names lists the regions of data in order.
func Names(data []byte) []string {
	var out []string
	for _, s := range spans(data) {
		out = append(out, s.name)
	}
	return out
}

// Get returns the content of region name, and whether data has it.
func Get(data []byte, name string) ([]byte, bool) {
	for _, s := range spans(data) {
		if s.name == name {
			return data[s.start:s.end], true
		}
	}
	return nil, false
}

// Replace returns data with the content of region name replaced by content;
// ok is false (and data returned as is) when data has no such region.
func Replace(data []byte, name string, content []byte) (out []byte, ok bool) {
	for _, s := range spans(data) {
		if s.name != name {
			continue
		}
		if len(content) > 0 && content[len(content)-1] != '\n' {
			content = append(bytes.Clone(content), '\n')
		}
		out = make([]byte, 0, len(data)-(s.end-s.start)+len(content))
		out = append(out, data[:s.start]...)
		out = append(out, content...)
		out = append(out, data[s.end:]...)
		return out, true
	}
	return data, false
}

// Strip returns data with every region emptied (the markers kept).
func Strip(data []byte) []byte {
	ss := spans(data)
	if len(ss) == 0 {
		return data
	}
	out := make([]byte, 0, len(data))
	prev := 0
	for _, s := range ss {
		out = append(out, data[prev:s.start]...)
		prev = s.end
	}
	return append(out, data[prev:]...)
}

// Carry returns into with each of its regions filled with the content the
// same region has in from, when from has it.
func Carry(from, into []byte) []byte {
	for _, s := range spans(from) {
		if r, ok := Replace(into, s.name, from[s.start:s.end]); ok {
			into = r
		}
	}
	return into
}
