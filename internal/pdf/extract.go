package pdf

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/reprohq/repro/internal/xerr"
)

// reader is the state of one Read: the result so far, and what a later
// session needs after a worker was replaced. Sessions write to it only
// through session.commit.
type reader struct {
	name  string
	data  []byte
	opts  Options
	file  *File
	geo   []pageGeo // per page: where its top-left corner is
	dests []rawDest // named destinations in PDF coordinates
}

// pageGeo is where a page's top-left corner is in PDF user space.
type pageGeo struct{ left, top float64 }

type rawDest struct {
	name       string
	page       int // 0-based, -1 when unresolved
	x, y       float64
	hasX, hasY bool
}

// maxNamedDests bounds the named destinations read (PDFium looks each up
// by index in the name tree, which is linear).
const maxNamedDests = 20000

// docInfo reads the page count, the document information and the named
// destinations. Only the first session records them; every session
// rebuilds the handle → name map its links need.
func (s *session) docInfo(e *engine, doc uint64) error {
	first := s.start == 0
	var (
		pages []Page
		geo   []pageGeo
		meta  Meta
	)
	if first {
		n, err := e.call(fnGetPageCount, doc)
		if err != nil {
			return err
		}
		count := int(int32(n))
		if count <= 0 {
			return &xerr.Error{Kind: xerr.KindInput, File: s.r.name, Msg: "the PDF has no pages", Hint: hintDamaged}
		}
		if count > s.r.opts.MaxPages {
			return &xerr.Error{Kind: xerr.KindInput, File: s.r.name,
				Msg:  fmt.Sprintf("the PDF has %d pages; the limit is %d", count, s.r.opts.MaxPages),
				Hint: hintTooBig}
		}
		pages = make([]Page, count)
		geo = make([]pageGeo, count)
		for i := range count {
			p := &pages[i]
			p.Number = i + 1
			// FS_SIZEF: width, height.
			ok, err := e.call(fnGetPageSizeByIndexF, doc, uint64(i), uint64(e.scratch+scrRect))
			if err != nil {
				return err
			}
			if int32(ok) != 0 {
				p.Width, p.Height = round(e.f32(scrRect)), round(e.f32(scrRect+4))
				geo[i] = pageGeo{top: p.Height}
			}
		}
		if err := e.meta(doc, &meta); err != nil {
			return err
		}
		s.npages = count
		s.sizes = make([][2]float64, count)
		for i, p := range pages {
			s.sizes[i] = [2]float64{p.Width, p.Height}
		}
	}
	dests, err := s.namedDests(e, doc, first)
	if err != nil {
		return err
	}
	if first && !s.commit(func() {
		s.r.file.Pages, s.r.geo, s.r.file.Meta, s.r.dests = pages, geo, meta, dests
	}) {
		return errAbandoned
	}
	return nil
}

// meta reads the document information dictionary.
func (e *engine) meta(doc uint64, m *Meta) error {
	for _, f := range []struct {
		tag string
		dst *string
	}{
		{"Title", &m.Title}, {"Author", &m.Author}, {"Subject", &m.Subject},
		{"Keywords", &m.Keywords}, {"Creator", &m.Creator}, {"Producer", &m.Producer},
	} {
		// The tag goes at the end of the buffer, the value at its start.
		tagAt := e.scratch + scrBuf + scrBufLen - 64
		e.mem.WriteString(tagAt, f.tag+"\x00")
		n, err := e.call(fnGetMetaText, doc, uint64(tagAt), uint64(e.scratch+scrBuf), scrBufLen-64)
		if err != nil {
			return err
		}
		s, err := e.utf16(uint32(n), scrBufLen-64, func(buf uint32, size uint32) (uint64, error) {
			return e.call(fnGetMetaText, doc, uint64(tagAt), uint64(buf), uint64(size))
		})
		if err != nil {
			return err
		}
		*f.dst = strings.TrimSpace(s)
	}
	return nil
}

// utf16 decodes a NUL-terminated UTF-16LE string of n bytes that PDFium
// wrote into the scratch buffer, or, when it did not fit in have bytes,
// calls again with a buffer of the right size.
func (e *engine) utf16(n, have uint32, again func(buf, size uint32) (uint64, error)) (string, error) {
	if n < 2 {
		return "", nil
	}
	at := e.scratch + scrBuf
	if n > have {
		if n > 1<<20 {
			return "", nil
		}
		buf, err := e.malloc(n)
		if err != nil {
			return "", err
		}
		defer e.free(buf)
		if _, err := again(buf, n); err != nil {
			return "", err
		}
		at = buf
	}
	b, ok := e.mem.Read(at, n)
	if !ok {
		return "", nil
	}
	return decodeUTF16(b), nil
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// namedDests reads the named destinations into s.names and, when record
// is set, returns them.
func (s *session) namedDests(e *engine, doc uint64, record bool) ([]rawDest, error) {
	n, err := e.call(fnCountNamedDests, doc)
	if err != nil {
		return nil, err
	}
	count := min(int(uint32(n)), maxNamedDests)
	s.names = make(map[uint64]string, count)
	var dests []rawDest
	for i := range count {
		e.setI32(scrInt, scrBufLen)
		dest, err := e.call(fnGetNamedDest, doc, uint64(i), uint64(e.scratch+scrBuf), uint64(e.scratch+scrInt))
		if err != nil {
			return nil, err
		}
		if uint32(dest) == 0 {
			continue
		}
		size := e.i32(scrInt)
		var name string
		switch {
		case size == -1: // too long for the buffer: ask for the size
			_, err := e.call(fnGetNamedDest, doc, uint64(i), 0, uint64(e.scratch+scrInt))
			if err != nil {
				return nil, err
			}
			size := e.i32(scrInt)
			if size <= 0 || size > 1<<16 {
				continue
			}
			buf, err := e.malloc(uint32(size))
			if err != nil {
				return nil, err
			}
			if _, err := e.call(fnGetNamedDest, doc, uint64(i), uint64(buf), uint64(e.scratch+scrInt)); err != nil {
				return nil, err
			}
			if b, ok := e.mem.Read(buf, uint32(size)); ok {
				name = decodeUTF16(b)
			}
			e.free(buf)
		case size > 0:
			if b, ok := e.mem.Read(e.scratch+scrBuf, uint32(size)); ok {
				name = decodeUTF16(b)
			}
		}
		if name == "" {
			continue
		}
		if _, dup := s.names[dest]; !dup {
			s.names[dest] = name
		}
		if !record {
			continue
		}
		d, err := e.dest(doc, dest)
		if err != nil {
			return nil, err
		}
		d.name = name
		dests = append(dests, d)
	}
	return dests, nil
}

// dest resolves a destination handle to its page and position.
func (e *engine) dest(doc, dest uint64) (rawDest, error) {
	d := rawDest{page: -1}
	p, err := e.call(fnDestGetDestPageIndex, doc, dest)
	if err != nil {
		return d, err
	}
	d.page = int(int32(p))
	view, err := e.call(fnDestGetView, dest, uint64(e.scratch+scrInt), uint64(e.scratch+scrFX))
	if err != nil {
		return d, err
	}
	nparams := e.i32(scrInt)
	param := func(i int32) float64 { return e.f32(scrFX + 4*uint32(i)) }
	switch int32(view) {
	case destViewXYZ:
		ok, err := e.call(fnDestGetLocationInPage, dest,
			uint64(e.scratch+scrHasX), uint64(e.scratch+scrHasY), uint64(e.scratch+scrHasZoom),
			uint64(e.scratch+scrFX), uint64(e.scratch+scrFY), uint64(e.scratch+scrFZoom))
		if err != nil {
			return d, err
		}
		if int32(ok) != 0 {
			d.hasX, d.hasY = e.i32(scrHasX) != 0, e.i32(scrHasY) != 0
			d.x, d.y = e.f32(scrFX), e.f32(scrFY)
		}
	case destViewFitH, destViewFitBH:
		if nparams >= 1 {
			d.hasY, d.y = true, param(0)
		}
	case destViewFitV, destViewFitBV:
		if nparams >= 1 {
			d.hasX, d.x = true, param(0)
		}
	case destViewFitR: // left, bottom, right, top
		if nparams >= 4 {
			d.hasX, d.x = true, param(0)
			d.hasY, d.y = true, param(3)
		}
	}
	return d, nil
}

// PDFium's PDFDEST_VIEW_* kinds of destination.
const (
	destViewXYZ   = 1
	destViewFitH  = 3
	destViewFitV  = 4
	destViewFitR  = 5
	destViewFitBH = 7
	destViewFitBV = 8
)

// readPage reads one page's geometry, characters and links, with warnings
// about it. A page PDFium cannot load is left empty with a warning.
func (s *session) readPage(e *engine, doc uint64, i int) (p Page, warn []string, err error) {
	p = Page{Number: i + 1}
	if i < len(s.sizes) {
		p.Width, p.Height = s.sizes[i][0], s.sizes[i][1]
	}
	g := pageGeo{top: p.Height}
	pg, err := e.call(fnLoadPage, doc, uint64(i))
	if err != nil {
		return p, nil, err
	}
	if uint32(pg) == 0 {
		return p, []string{fmt.Sprintf("page %d skipped: PDFium cannot load it", i+1)}, nil
	}
	defer func() {
		if !e.dead {
			_, _ = e.call(fnClosePage, pg)
		}
	}()
	// FS_RECTF: left, top, right, bottom; the media box clipped to the
	// crop box, in PDF user space.
	ok, err := e.call(fnGetPageBoundingBox, pg, uint64(e.scratch+scrRect))
	if err != nil {
		return p, nil, err
	}
	if int32(ok) != 0 {
		l, t, rt, b := e.f32(scrRect), e.f32(scrRect+4), e.f32(scrRect+8), e.f32(scrRect+12)
		if rt > l && t > b {
			g = pageGeo{left: l, top: t}
			p.Width, p.Height = round(rt-l), round(t-b)
		}
	}
	rot, err := e.call(fnGetRotation, pg)
	if err != nil {
		return p, nil, err
	}
	if q := int32(rot); q > 0 && q < 4 {
		p.Rotation = int(q) * 90
	}
	if warn, err = e.chars(pg, &p, g); err != nil {
		return p, nil, err
	}
	if err := s.links(e, doc, pg, &p, g); err != nil {
		return p, nil, err
	}
	if !s.commit(func() { s.r.geo[i] = g }) {
		return p, nil, errAbandoned
	}
	return p, warn, nil
}

// chars reads the characters of a loaded page.
//
// Font, size, weight and angle belong to the text object a character comes
// from, so they are read once per text object: five guest calls per
// character instead of ten.
func (e *engine) chars(pg uint64, p *Page, g pageGeo) ([]string, error) {
	tp, err := e.call(fnTextLoadPage, pg)
	if err != nil {
		return nil, err
	}
	if uint32(tp) == 0 {
		return []string{fmt.Sprintf("page %d: PDFium cannot read its text", p.Number)}, nil
	}
	defer func() {
		if !e.dead {
			_, _ = e.call(fnTextClosePage, tp)
		}
	}()
	n, err := e.call(fnTextCountChars, tp)
	if err != nil {
		return nil, err
	}
	count := int(int32(n))
	if count <= 0 {
		return nil, nil
	}
	p.Chars = make([]Char, count)
	var (
		fc      fontCache
		lastObj uint64
		style   Char // Font, Size, Weight, Italic, Angle of lastObj
	)
	for i := range count {
		c := &p.Chars[i]
		idx := uint64(i)
		u, err := e.call(fnTextGetUnicode, tp, idx)
		if err != nil {
			return nil, err
		}
		c.R = rune(uint32(u))
		gen, err := e.call(fnTextIsGenerated, tp, idx)
		if err != nil {
			return nil, err
		}
		c.Generated = int32(gen) == 1
		ok, err := e.call(fnTextGetLooseCharBox, tp, idx, uint64(e.scratch+scrRect))
		if err != nil {
			return nil, err
		}
		if int32(ok) != 0 {
			c.X0 = round(e.f32(scrRect) - g.left)
			c.Y0 = round(g.top - e.f32(scrRect+4))
			c.X1 = round(e.f32(scrRect+8) - g.left)
			c.Y1 = round(g.top - e.f32(scrRect+12))
		}
		ok, err = e.call(fnTextGetCharOrigin, tp, idx, uint64(e.scratch+scrX), uint64(e.scratch+scrY))
		if err != nil {
			return nil, err
		}
		if int32(ok) != 0 {
			c.OX = round(e.f64(scrX) - g.left)
			c.OY = round(g.top - e.f64(scrY))
		}
		// Generated characters borrow a neighbour's text object (or have
		// none), so their style is read for themselves.
		obj := uint64(0)
		if !c.Generated {
			if obj, err = e.call(fnTextGetTextObject, tp, idx); err != nil {
				return nil, err
			}
		}
		if obj == 0 || obj != lastObj {
			var st Char
			if err := e.style(tp, idx, &fc, &st); err != nil {
				return nil, err
			}
			if obj != 0 {
				lastObj, style = obj, st
			}
			c.Font, c.Size, c.Weight, c.Italic, c.Angle = st.Font, st.Size, st.Weight, st.Italic, st.Angle
			continue
		}
		c.Font, c.Size, c.Weight, c.Italic, c.Angle = style.Font, style.Size, style.Weight, style.Italic, style.Angle
	}
	return nil, nil
}

// style reads the font, size, weight and angle of character idx into c.
// Size is the font size scaled by the text matrix: the size in points as
// printed, also for producers that write "/F1 1 Tf" and scale with Tm.
func (e *engine) style(tp, idx uint64, fc *fontCache, c *Char) error {
	size, err := e.call(fnTextGetFontSize, tp, idx)
	if err != nil {
		return err
	}
	sz := math.Float64frombits(size)
	ok, err := e.call(fnTextGetMatrix, tp, idx, uint64(e.scratch+scrMatrix))
	if err != nil {
		return err
	}
	if int32(ok) != 0 {
		mc, md := e.f32(scrMatrix+8), e.f32(scrMatrix+12)
		if k := math.Hypot(mc, md); k > 0 {
			sz *= k
		}
	}
	c.Size = round(sz)
	w, err := e.call(fnTextGetFontWeight, tp, idx)
	if err != nil {
		return err
	}
	c.Weight = max(int(int32(w)), 0)
	a, err := e.call(fnTextGetCharAngle, tp, idx)
	if err != nil {
		return err
	}
	if ang := float64(math.Float32frombits(uint32(a))); ang > 0 {
		c.Angle = round(ang)
	}
	return fc.font(e, tp, idx, c)
}

// fontCache remembers the last font name read, since consecutive
// characters nearly always share their font.
type fontCache struct {
	raw    []byte
	name   string
	italic bool
}

// fontFlagItalic is the Italic bit of a font descriptor's /Flags.
const fontFlagItalic = 1 << 6

func (fc *fontCache) font(e *engine, tp, idx uint64, c *Char) error {
	n, err := e.call(fnTextGetFontInfo, tp, idx, uint64(e.scratch+scrBuf), 256, uint64(e.scratch+scrInt))
	if err != nil {
		return err
	}
	size := uint32(n)
	if size <= 1 {
		return nil
	}
	flags := e.i32(scrInt)
	var raw []byte
	if size > 256 {
		if size > 1<<16 {
			return nil
		}
		buf, err := e.malloc(size)
		if err != nil {
			return err
		}
		defer e.free(buf)
		if _, err := e.call(fnTextGetFontInfo, tp, idx, uint64(buf), uint64(size), uint64(e.scratch+scrInt)); err != nil {
			return err
		}
		raw, _ = e.mem.Read(buf, size-1)
	} else {
		raw, _ = e.mem.Read(e.scratch+scrBuf, size-1)
	}
	if fc.raw == nil || !bytes.Equal(raw, fc.raw) {
		fc.raw = append(fc.raw[:0], raw...)
		fc.name = stripSubset(string(raw))
		fc.italic = italicName(fc.name)
	}
	c.Font = fc.name
	c.Italic = fc.italic || flags&fontFlagItalic != 0
	return nil
}

// stripSubset removes a font subset prefix ("ABCDEF+").
func stripSubset(s string) string {
	if len(s) > 7 && s[6] == '+' {
		for i := range 6 {
			if s[i] < 'A' || s[i] > 'Z' {
				return s
			}
		}
		return s[7:]
	}
	return s
}

// italicName tells from a font name whether it is italic: "Italic",
// "Oblique", "-It", "Ital" (NimbusRomNo9L-ReguItal), and the Computer
// Modern math and text italics (CMMI10, CMTI10, CMBXTI10).
func italicName(name string) bool {
	if strings.Contains(name, "Ital") || strings.Contains(name, "Oblique") || strings.Contains(name, "-It") {
		return true
	}
	base := strings.TrimRight(name, "0123456789")
	if strings.HasPrefix(base, "CM") || strings.HasPrefix(base, "SF") || strings.HasPrefix(base, "EC") {
		return strings.Contains(base[2:], "MI") || strings.Contains(base[2:], "TI")
	}
	return false
}

// links reads the link annotations of a loaded page.
func (s *session) links(e *engine, doc, pg uint64, p *Page, g pageGeo) error {
	e.setI32(scrInt, 0)
	for range 100000 {
		ok, err := e.call(fnLinkEnumerate, pg, uint64(e.scratch+scrInt), uint64(e.scratch+scrInt2))
		if err != nil {
			return err
		}
		if int32(ok) == 0 {
			return nil
		}
		link := uint64(uint32(e.i32(scrInt2)))
		if link == 0 {
			continue
		}
		var l Link
		ok, err = e.call(fnLinkGetAnnotRect, link, uint64(e.scratch+scrRect))
		if err != nil {
			return err
		}
		if int32(ok) != 0 {
			x0, y0, x1, y1 := e.f32(scrRect), e.f32(scrRect+4), e.f32(scrRect+8), e.f32(scrRect+12)
			l.X0, l.X1 = round(min(x0, x1)-g.left), round(max(x0, x1)-g.left)
			l.Y0, l.Y1 = round(g.top-max(y0, y1)), round(g.top-min(y0, y1))
		}
		dest, err := e.call(fnLinkGetDest, doc, link)
		if err != nil {
			return err
		}
		if uint32(dest) == 0 {
			action, err := e.call(fnLinkGetAction, link)
			if err != nil {
				return err
			}
			if uint32(action) != 0 {
				typ, err := e.call(fnActionGetType, action)
				if err != nil {
					return err
				}
				switch int32(typ) {
				case actionGoTo:
					if dest, err = e.call(fnActionGetDest, doc, action); err != nil {
						return err
					}
				case actionURI:
					if l.URI, err = e.uri(doc, action); err != nil {
						return err
					}
				}
			}
		}
		if uint32(dest) != 0 {
			// A named destination resolves to the same array object the
			// name tree holds, so its handle finds the name.
			l.Dest = s.names[dest]
			pi, err := e.call(fnDestGetDestPageIndex, doc, dest)
			if err != nil {
				return err
			}
			if q := int(int32(pi)); q >= 0 {
				l.Page = q + 1
			}
		}
		if l.Dest == "" && l.URI == "" && l.Page == 0 {
			continue
		}
		p.Links = append(p.Links, l)
	}
	return nil
}

// PDFium's PDFACTION_* kinds of action.
const (
	actionGoTo = 1
	actionURI  = 3
)

// uri reads a URI action's target (7-bit ASCII, NUL-terminated).
func (e *engine) uri(doc, action uint64) (string, error) {
	n, err := e.call(fnActionGetURIPath, doc, action, uint64(e.scratch+scrBuf), scrBufLen)
	if err != nil {
		return "", err
	}
	size := uint32(n)
	if size <= 1 {
		return "", nil
	}
	at := e.scratch + scrBuf
	if size > scrBufLen {
		if size > 1<<20 {
			return "", nil
		}
		buf, err := e.malloc(size)
		if err != nil {
			return "", err
		}
		defer e.free(buf)
		if _, err := e.call(fnActionGetURIPath, doc, action, uint64(buf), uint64(size)); err != nil {
			return "", err
		}
		at = buf
	}
	b, ok := e.mem.Read(at, size-1)
	if !ok {
		return "", nil
	}
	return string(b), nil
}

// finish converts the named destinations to top-left coordinates.
func (r *reader) finish() {
	r.file.Dests = make([]Dest, 0, len(r.dests))
	for _, d := range r.dests {
		out := Dest{Name: d.name}
		if d.page >= 0 && d.page < len(r.geo) {
			g := r.geo[d.page]
			out.Page = d.page + 1
			out.HasXY = d.hasX || d.hasY
			if d.hasX {
				out.X = round(d.x - g.left)
			}
			if d.hasY {
				out.Y = round(g.top - d.y)
			}
		}
		r.file.Dests = append(r.file.Dests, out)
	}
}

// minCharsPerPage is the average number of visible characters per page
// below which a file is taken to have no text layer (a scan with perhaps
// an arXiv stamp).
const minCharsPerPage = 40

// checkText fails when the file has (almost) no text.
func (r *reader) checkText() error {
	visible := 0
	for _, p := range r.file.Pages {
		for _, c := range p.Chars {
			if !c.Generated && c.R > ' ' {
				visible++
			}
		}
	}
	if visible < minCharsPerPage*len(r.file.Pages) && visible < 2000 {
		return &xerr.Error{Kind: xerr.KindInput, File: r.name,
			Msg:  fmt.Sprintf("has no text layer; it looks scanned (%d characters on %s)", visible, plural(len(r.file.Pages), "page")),
			Hint: hintScanned}
	}
	return nil
}

// round rounds a coordinate to 1/1000 point, which keeps the JSON short
// and is far below any layout tolerance.
func round(v float64) float64 {
	return math.Round(v*1000) / 1000
}

// plural formats a count with a noun: "1 page", "9 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
