package bench

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Colours by status, and of the bands.
const (
	colOK       = "#1a7f37"
	colClose    = "#9a6700"
	colOff      = "#cf222e"
	colNotRun   = "#6e7781"
	colText     = "#1f2328"
	colMuted    = "#656d76"
	colBand     = "#b7ebc4"
	colBand2    = "#fff1b8"
	colStripe   = "#f6f8fa"
	colBaseline = "#d0d7de"
	colSkipped  = "#8c959f"
)

func statusColour(s Status) string {
	switch s {
	case StatusOK:
		return colOK
	case StatusClose:
		return colClose
	case StatusOff:
		return colOff
	}
	return colNotRun
}

func verdictColour(v string) string {
	switch v {
	case VerdictReproduced:
		return colOK
	case VerdictPartially:
		return colClose
	case VerdictNot:
		return colOff
	}
	return colNotRun
}

// The chart's geometry.
const (
	svgWidth  = 960
	labelX    = 16
	plotX0    = 392.0
	plotX1    = 672.0
	paperX    = 764 // right edge of the Paper column
	oursX     = 858
	deltaX    = 944
	rowsTop   = 112
	footerGap = 14
)

// SVG is the chart, paper against ours: one row per target, on a scale of
// its own centred on the paper's number, with the tolerance band (green)
// and twice it (yellow) around it, the paper's number as a black tick and
// ours as a mark coloured and shaped by status (● ok, ▲ close, ✕ off);
// the numbers are printed beside. It needs no CSS and no web fonts.
func (r *Report) SVG() []byte {
	n := len(r.Outcomes)
	rowH, font := 26, 12
	if n > 40 {
		rowH, font = 20, 11
	}
	rows := max(n, 1)
	height := rowsTop + rows*rowH + footerGap + 34
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="%d" stroke="none" role="img">`+"\n",
		svgWidth, height, svgWidth, height, font)
	fmt.Fprintf(&b, "<title>Benchmarks, paper against ours: %s</title>\n", xmlText(r.Verdict))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff" stroke="none"/>`+"\n", svgWidth, height)

	// Verdict, summary, legend (no tspans: simple renderers place them
	// badly).
	fmt.Fprintf(&b, `<text x="%d" y="30" font-size="18" font-weight="bold" fill="%s">%s</text>`+"\n",
		labelX, verdictColour(r.Verdict), xmlText(r.Verdict))
	fmt.Fprintf(&b, `<text x="%d" y="52" font-size="12" fill="%s">%s</text>`+"\n", labelX, colMuted,
		xmlText("Paper against ours · "+strings.TrimPrefix(r.Summary(), r.Verdict+": ")))
	legendY := 76.0
	x := float64(labelX)
	item := func(draw func(cx float64), label string, width float64) {
		draw(x + 7)
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" fill="%s">%s</text>`+"\n", f1(x+18), f1(legendY+4), colText, xmlText(label))
		x += width
	}
	item(func(cx float64) { paperTick(&b, cx, legendY, 8) }, "paper", 70)
	item(func(cx float64) { oursMark(&b, StatusOK, colOK, cx, legendY) }, "ours: ok", 90)
	item(func(cx float64) { oursMark(&b, StatusClose, colClose, cx, legendY) }, "close", 66)
	item(func(cx float64) { oursMark(&b, StatusOff, colOff, cx, legendY) }, "off", 52)
	item(func(cx float64) {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="12" fill="%s" stroke="none"/>`+"\n", f1(cx-7), f1(legendY-6), colBand)
	}, "tolerance", 98)
	item(func(cx float64) {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="12" fill="%s" stroke="none"/>`+"\n", f1(cx-7), f1(legendY-6), colBand2)
	}, "twice the tolerance", 160)

	// Column headers.
	hy := rowsTop - 8
	fmt.Fprintf(&b, `<g font-size="12" font-weight="bold" fill="%s">`+"\n", colText)
	fmt.Fprintf(&b, `<text x="%d" y="%d">Target</text>`+"\n", labelX, hy)
	fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" font-weight="normal" fill="%s">ours against the paper (scale per row)</text>`+"\n", f1((plotX0+plotX1)/2), hy, colMuted)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">Paper</text>`+"\n", paperX, hy)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">Ours</text>`+"\n", oursX, hy)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">Δ</text>`+"\n", deltaX, hy)
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`+"\n", labelX, rowsTop-2, svgWidth-labelX, rowsTop-2, colBaseline)

	if n == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">No benchmark targets: add them to benchmarks.yaml.</text>`+"\n", labelX, rowsTop+rowH/2+4, colMuted)
	}
	// Characters that fit in the label column.
	maxChars := int((plotX0 - 16 - labelX) / (float64(font) * 0.56))
	for i := range r.Outcomes {
		r.svgRow(&b, &r.Outcomes[i], i, rowH, font, maxChars)
	}

	fy := rowsTop + rows*rowH + footerGap + 12
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="%s">Each row has its own scale, centred on the paper's number (the tick): the green band is the tolerance, the yellow band twice it.</text>`+"\n", labelX, fy, colMuted)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="%s">A result better than the paper counts as within tolerance. Δ is ours − paper.</text>`+"\n", labelX, fy+15, colMuted)
	b.WriteString("</svg>\n")
	return b.Bytes()
}

func (r *Report) svgRow(b *bytes.Buffer, o *Outcome, i, rowH, font, maxChars int) {
	t := &o.Target
	y0 := float64(rowsTop + i*rowH)
	mid := y0 + float64(rowH)/2
	ty := f1(mid + float64(font)*0.36)
	full := t.Label()
	if t.Setting != "" {
		full += " (" + t.Setting + ")"
	}
	if t.Skip {
		full += " (skipped)"
	}
	fmt.Fprintf(b, `<g>`+"\n")
	fmt.Fprintf(b, `<title>%s</title>`+"\n", xmlText(t.ID+": "+full+" · "+o.Status.Icon()+" "+string(o.Status)+noteSuffix(o.Note)))
	if i%2 == 1 {
		fmt.Fprintf(b, `<rect x="0" y="%s" width="%d" height="%d" fill="%s" stroke="none"/>`+"\n", f1(y0), svgWidth, rowH, colStripe)
	}
	// A skipped row is grey (explicit colours: simple renderers ignore
	// opacity on text) and its plot faded.
	textCol, mutedCol, oursCol, opacity := colText, colMuted, statusColour(o.Status), ""
	if t.Skip {
		textCol, mutedCol, oursCol, opacity = colSkipped, colSkipped, colSkipped, ` opacity="0.5"`
	}
	// Label: "dataset · metric" and the setting in grey, cut to fit.
	label := t.Label()
	setting := t.Setting
	if t.Skip {
		setting = strings.TrimSpace(setting + " (skipped)")
	}
	label, setting = fitLabel(label, setting, maxChars)
	fmt.Fprintf(b, `<text x="%d" y="%s" fill="%s">%s</text>`+"\n", labelX, ty, textCol, xmlText(label))
	if setting != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", f1(plotX0-12), ty, mutedCol, xmlText(setting))
	}

	// The row's scale: centred on the paper's number, wide enough for
	// ours and for 2.5 bounds.
	paper := t.Value
	bound := o.Bound
	half := 2.5 * bound
	var ours float64
	hasOurs := o.Ours != nil && isFinite(*o.Ours)
	if hasOurs {
		ours = *o.Ours
		half = math.Max(half, 1.15*math.Abs(ours-paper))
	}
	if !(half > 0) || !isFinite(half) {
		half = math.Abs(paper) * 0.05
		if !(half > 0) || !isFinite(half) {
			half = 1
		}
	}
	cx := (plotX0 + plotX1) / 2
	w := (plotX1 - plotX0) / 2
	xOf := func(v float64) float64 {
		x := cx + (v-paper)/half*w
		if !isFinite(x) {
			if v > paper {
				return plotX1
			}
			return plotX0
		}
		return math.Min(math.Max(x, plotX0), plotX1)
	}
	fmt.Fprintf(b, `<g%s>`+"\n", opacity)
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", f1(plotX0), f1(mid), f1(plotX1), f1(mid), colBaseline)
	band := func(k float64, fill string, h float64) {
		x0, x1 := xOf(paper-k*bound), xOf(paper+k*bound)
		if x1-x0 < 2 {
			x0, x1 = cx-1, cx+1
		}
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="none"/>`+"\n", f1(x0), f1(mid-h/2), f1(x1-x0), f1(h), fill)
	}
	bh := math.Min(16, float64(rowH)-6)
	if bound > 0 {
		band(2, colBand2, bh)
		band(1, colBand, bh)
	}
	paperTick(b, cx, mid, bh/2+2)
	if hasOurs {
		oursMark(b, o.Status, oursCol, xOf(ours), mid)
	}
	b.WriteString("</g>\n")

	// Numbers.
	fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", paperX, ty, textCol, xmlText(svgNumber(paperText(t), 14)))
	switch {
	case o.Ours == nil:
		fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end" fill="%s" font-style="italic">not run</text>`+"\n", oursX, ty, colNotRun)
	default:
		weight := ` font-weight="bold"`
		if t.Skip {
			weight = ""
		}
		fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end"%s fill="%s">%s</text>`+"\n", oursX, ty, weight, oursCol, xmlText(svgNumber(oursText(o), 12)))
		fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", deltaX, ty, mutedCol, xmlText(svgNumber(deltaText(o), 10)))
	}
	b.WriteString("</g>\n")
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " · " + n
}

// svgNumber cuts a printed number that would overflow its column.
func svgNumber(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// fitLabel cuts label and setting to n characters in all (with a gap of
// three between them), the setting first.
func fitLabel(label, setting string, n int) (string, string) {
	ln, sn := utf8.RuneCountInString(label), utf8.RuneCountInString(setting)
	if setting != "" {
		sn += 3 // the gap
	}
	if ln+sn <= n {
		return label, setting
	}
	if ln+4 <= n && setting != "" { // keep the label whole, cut the setting
		room := n - ln - 3
		return label, string([]rune(setting)[:room-1]) + "…"
	}
	if ln > n {
		return string([]rune(label)[:n-1]) + "…", ""
	}
	return label, ""
}

// paperTick draws the paper's number: a black vertical tick.
func paperTick(b *bytes.Buffer, x, y, h float64) {
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5"/>`+"\n", f1(x), f1(y-h), f1(x), f1(y+h), colText)
}

// oursMark draws ours in colour c: ● ok, ▲ close, ✕ off.
func oursMark(b *bytes.Buffer, s Status, c string, x, y float64) {
	switch s {
	case StatusOK:
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="5.5" fill="%s" stroke="#ffffff" stroke-width="1.2"/>`+"\n", f1(x), f1(y), c)
	case StatusClose:
		fmt.Fprintf(b, `<path d="M%s %sL%s %sL%s %sZ" fill="%s" stroke="#ffffff" stroke-width="1.2"/>`+"\n",
			f1(x), f1(y-6.5), f1(x+6.5), f1(y+5), f1(x-6.5), f1(y+5), c)
	case StatusOff:
		fmt.Fprintf(b, `<path d="M%s %sL%s %sM%s %sL%s %s" stroke="%s" stroke-width="3" stroke-linecap="round"/>`+"\n",
			f1(x-5), f1(y-5), f1(x+5), f1(y+5), f1(x-5), f1(y+5), f1(x+5), f1(y-5), c)
	}
}

// f1 prints a coordinate with at most one decimal; never NaN or Inf.
func f1(v float64) string {
	if !isFinite(v) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// xmlText escapes text for XML, dropping characters XML cannot hold.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError, r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			// not allowed in XML
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
