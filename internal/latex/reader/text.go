package reader

import (
	"strings"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
	"github.com/reprohq/repro/internal/sentence"
)

// textBuf keeps the prose of the current paragraph, for equation context.
type textBuf struct {
	b       []byte
	mark    int // where the text after the last display starts, or -1
	suspend int // > 0 while reading footnotes and captions

	// para is the prose of the current paragraph for doc.Document.Text:
	// unlike b it is not cut at displays or shortened.
	para     []byte
	paraFile int16 // where the paragraph starts
	paraPos  int32
	paraSet  bool
	paraSkip bool // the paragraph started inside a float: not prose
}

const maxTextBuf = 4096

func (t *textBuf) add(s string) {
	if t.suspend > 0 {
		return
	}
	t.b = append(t.b, s...)
	t.para = append(t.para, s...)
	if len(t.b) > maxTextBuf {
		cut := len(t.b) - maxTextBuf/2
		t.b = append(t.b[:0], t.b[cut:]...)
		if t.mark >= 0 {
			t.mark -= cut
			if t.mark < 0 {
				t.mark = 0
			}
		}
	}
}

func (t *textBuf) par() {
	if t.suspend > 0 {
		return
	}
	t.b = t.b[:0]
	t.mark = 0
}

// displayMark notes that a display ended here.
func (t *textBuf) displayMark() {
	t.b = append(t.b, ' ')
	t.mark = len(t.b)
}

func (t *textBuf) sinceMark() string {
	if t.mark < 0 || t.mark > len(t.b) {
		return ""
	}
	return string(t.b[t.mark:])
}

// lastSentence returns the sentence that is being written: the text after
// the last sentence end of the paragraph (or after the previous display).
func (t *textBuf) lastSentence() string {
	from := 0
	if t.mark > 0 && t.mark <= len(t.b) {
		from = t.mark
	}
	s := strings.TrimSpace(collapseSpace(string(t.b[from:])))
	return cleanContext(s[sentence.LastStart(s):])
}

// firstSentence returns the text up to the first sentence end.
func firstSentence(s string) string {
	s = strings.TrimSpace(collapseSpace(s))
	return cleanContext(s[:sentence.FirstEnd(s)])
}

// spaceBeforePunct matches the blank a dropped citation leaves behind.
var spaceBeforePunct = strings.NewReplacer(" ,", ",", " .", ".", " ;", ";", " :", ":", "( ", "(", " )", ")")

func cleanContext(s string) string {
	s = spaceBeforePunct.Replace(strings.TrimSpace(s))
	s = strings.TrimLeft(s, ".,;: ")
	if len(s) > 600 {
		cut := 600
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// flushAfter gives the equations of the last display the sentence that
// follows them.
func (r *Reader) flushAfter() {
	if len(r.pendingAfter) == 0 {
		return
	}
	after := firstSentence(r.text.sinceMark())
	for _, i := range r.pendingAfter {
		r.d.Equations[i].Context.After = after
	}
	r.pendingAfter = r.pendingAfter[:0]
}

// breakParagraph ends a paragraph: the last display gets its "after"
// sentence, the paragraph goes to doc.Document.Text, and the prose buffer
// starts again.
func (r *Reader) breakParagraph() {
	r.flushAfter()
	r.emitParagraph()
	r.text.par()
}

// maxParagraph caps one paragraph of doc.Document.Text; a longer one is
// split there.
const maxParagraph = 1 << 16

// markParagraph notes where the current paragraph starts, at the position
// in the paper's files of the text being read.
func (r *Reader) markParagraph() {
	if r.text.paraSet || r.text.suspend > 0 || !r.inDoc {
		return
	}
	r.text.paraSet = true
	r.text.paraSkip = r.currentFloat() != nil
	r.text.paraFile, r.text.paraPos = -1, 0
	for i := len(r.m.stack) - 1; i >= 0; i-- {
		f := r.m.stack[i]
		if f.file >= 0 && f.i > 0 && f.i <= len(f.toks) {
			t := f.toks[f.i-1]
			r.text.paraFile, r.text.paraPos = t.File, t.Pos
			return
		}
	}
}

// emitParagraph ends the current paragraph of prose: it is appended to
// doc.Document.Text (not part of the JSON) for the stages that read the
// paper's sentences.
func (r *Reader) emitParagraph() {
	if r.text.suspend > 0 {
		return
	}
	s := spaceBeforePunct.Replace(strings.TrimSpace(collapseSpace(string(r.text.para))))
	if s != "" && r.inDoc && !r.text.paraSkip {
		p := doc.Paragraph{Section: r.secNumber, Text: s}
		if r.text.paraSet && r.text.paraFile >= 0 {
			p.File, p.Line = r.fileLine(r.text.paraFile, r.text.paraPos)
		}
		r.d.Text = append(r.d.Text, p)
	}
	r.text.para = r.text.para[:0]
	r.text.paraSet, r.text.paraSkip = false, false
}

// textOf renders tokens as plain text.
func textOf(toks []lx.Token) string {
	return plain.Text(tokensText(toks))
}
