package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// JoinLines joins the texts of consecutive lines of a paragraph with
// spaces, rejoining words broken at a line-end hyphen: "experi-" +
// "ments" is "experiments"; a hyphen before a capital or a digit, or
// before a word that has a hyphen of its own ("end-" + "to-end"), stays.
func JoinLines(texts []string) string {
	return JoinLinesWith(texts, nil)
}

// JoinLinesWith is JoinLines with a say in each break: keep(left, right)
// is asked, for a line ending "left-" followed by one starting "right",
// whether the hyphen is part of the word (true) or a break (false).
func JoinLinesWith(texts []string, keep func(left, right string) bool) string {
	var b []byte
	for _, t := range texts {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if len(b) == 0 {
			b = append(b, t...)
			continue
		}
		if len(b) > 1 && b[len(b)-1] == '-' {
			r, _ := utf8.DecodeRuneInString(t)
			p, _ := utf8.DecodeLastRune(b[:len(b)-1])
			if unicode.IsLower(r) && unicode.IsLetter(p) {
				left := lastWord(string(b[:len(b)-1]))
				right := firstWord(t)
				k := strings.Contains(right, "-")
				if keep != nil {
					k = keep(left, right)
				}
				if !k {
					b = b[:len(b)-1]
				}
			}
			b = append(b, t...)
			continue
		}
		b = append(b, ' ')
		b = append(b, t...)
	}
	return string(b)
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	return s[i+1:]
}

func firstWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	if i < 0 {
		return s
	}
	return s[:i]
}

// JoinText joins lines' texts as JoinLines does.
func JoinText(lines []Line) string {
	ts := make([]string, len(lines))
	for i := range lines {
		ts[i] = lines[i].Text
	}
	return JoinLines(ts)
}
