package bench

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/internal/xerr"
)

// Result is one number of the user's results.
type Result struct {
	Dataset string  `json:"dataset"`
	Metric  string  `json:"metric"`
	Setting string  `json:"setting,omitempty"`
	Value   float64 `json:"value"`
	File    string  `json:"file,omitempty"`
	Line    int     `json:"line,omitempty"` // 0 for TensorBoard files
	Step    int64   `json:"step,omitempty"` // the step of a TensorBoard scalar
}

// Label is "dataset · metric", or the one that is set.
func (r *Result) Label() string {
	t := Target{Dataset: r.Dataset, Metric: r.Metric}
	return t.Label()
}

// Where is "file:line", "file (step N)" or "file".
func (r *Result) Where() string {
	switch {
	case r.Line > 0:
		return r.File + ":" + strconv.Itoa(r.Line)
	case r.Step != 0:
		return r.File + " (step " + strconv.FormatInt(r.Step, 10) + ")"
	}
	return r.File
}

// formatsHint names the accepted results formats.
const formatsHint = `results may be CSV with a header dataset,metric,value[,setting] (or dataset and one column per metric); ` +
	`JSON {"dataset": {"metric": value}}, {"metric": value} or a list of {"dataset", "metric", "value"} records; ` +
	`JSON Lines of such records; TensorBoard event files (events.out.tfevents.*) or a folder of them`

// maxResultsSize caps a CSV or JSON results file.
const maxResultsSize = 256 << 20

// ReadResults reads a results file: CSV, JSON, JSON Lines or a TensorBoard
// event file, told apart by the name (.csv, .tsv, .json, .jsonl, .ndjson,
// events.out.tfevents.*) and otherwise by the content. A folder is searched
// for TensorBoard event files (see ReadTFEventsDir). Errors are
// *xerr.Error values with file:line and a hint naming the accepted formats.
func ReadResults(path string) ([]Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the results", Hint: formatsHint, Err: err}
	}
	if st.IsDir() {
		return ReadTFEventsDir(path)
	}
	if isTFEventsName(path) {
		f, err := os.Open(path)
		if err != nil {
			return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the results", Err: err}
		}
		defer f.Close()
		tags, err := readTFEvents(path, f, st.Size())
		if err != nil {
			return nil, err
		}
		return tagResults(tags, ""), nil
	}
	if st.Size() > maxResultsSize {
		return nil, xerr.Input(path, fmt.Sprintf("the results file is too large (%d bytes; at most %d)", st.Size(), maxResultsSize), "keep the final numbers only: "+formatsHint)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the results", Err: err}
	}
	return ParseResults(path, data)
}

// ParseResults reads results from data; name (a path) tells the format as
// in ReadResults and is used in messages.
func ParseResults(name string, data []byte) ([]Result, error) {
	if isTFEventsName(name) {
		tags, err := readTFEvents(name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		return tagResults(tags, ""), nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return parseCSV(name, data, ',')
	case ".tsv":
		return parseCSV(name, data, '\t')
	case ".json":
		return parseJSON(name, data)
	case ".jsonl", ".ndjson":
		return parseJSONL(name, data)
	}
	// Sniff.
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, xerr.Input(name, "the results file is empty", formatsHint)
	case trimmed[0] == '{' || trimmed[0] == '[':
		return parseJSON(name, data)
	case looksLikeTFRecord(data):
		tags, err := readTFEvents(name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		return tagResults(tags, ""), nil
	}
	return parseCSV(name, data, ',')
}

func isTFEventsName(path string) bool {
	return strings.Contains(filepath.Base(path), "tfevents")
}

// parseNumber reads a results value: a number, optionally followed by %
// or by a ± part, which is ignored ("91.3", "91.3%", "91.3 ± 0.2").
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	for _, sep := range []string{"±", "+/-", "+-"} {
		if i := strings.Index(s, sep); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	s = strings.ReplaceAll(s, "−", "-")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, true // ±Inf or 0 from an out-of-range literal
		}
		return 0, false
	}
	return f, true
}

// parseCSV reads the long form (dataset, metric, value[, setting], any
// order, other columns ignored) or the wide form (dataset[, setting] and
// one column per metric; columns whose cells are all non-numeric are
// labels and ignored).
func parseCSV(name string, data []byte, comma rune) ([]Result, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.ReuseRecord = false
	header, err := r.Read()
	if err == io.EOF {
		return nil, xerr.Input(name, "the results file is empty", formatsHint)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[k]; !dup {
			col[k] = i
		}
	}
	line1, _ := r.FieldPos(0)
	di, hasD := col["dataset"]
	mi, hasM := col["metric"]
	vi, hasV := col["value"]
	si, hasS := col["setting"]
	if !hasM || !hasV {
		if hasD && !hasM && !hasV {
			return parseWideCSV(name, r, header, di, si, hasS)
		}
		e := xerr.Input(name, "the CSV header has no "+missingCols(hasM, hasV)+" column", formatsHint)
		e.Line = line1
		return nil, e
	}
	var out []Result
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		get := func(i int, ok bool) string {
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if mi >= len(rec) || vi >= len(rec) {
			e := xerr.Input(name, fmt.Sprintf("row has %d fields, the header %d", len(rec), len(header)), formatsHint)
			e.Line = line
			return nil, e
		}
		vs := get(vi, true)
		if vs == "" {
			continue // not run
		}
		v, ok := parseNumber(vs)
		if !ok {
			e := xerr.Input(name, fmt.Sprintf("value %q is not a number", vs), formatsHint)
			e.Line = line
			return nil, e
		}
		out = append(out, Result{Dataset: get(di, hasD), Metric: get(mi, true), Setting: get(si, hasS), Value: v, File: name, Line: line})
	}
	return out, nil
}

func missingCols(hasM, hasV bool) string {
	switch {
	case !hasM && !hasV:
		return "metric and value"
	case !hasM:
		return "metric"
	}
	return "value"
}

func parseWideCSV(name string, r *csv.Reader, header []string, di, si int, hasS bool) ([]Result, error) {
	type row struct {
		rec  []string
		line int
	}
	var rows []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, row{rec, line})
	}
	// A metric column has at least one numeric cell; its other non-empty
	// cells must be numbers too.
	var metrics []int
	for c := range header {
		if c == di || hasS && c == si {
			continue
		}
		for _, rw := range rows {
			if c < len(rw.rec) {
				if _, ok := parseNumber(rw.rec[c]); ok {
					metrics = append(metrics, c)
					break
				}
			}
		}
	}
	var out []Result
	for _, rw := range rows {
		cell := func(i int) string {
			if i < len(rw.rec) {
				return strings.TrimSpace(rw.rec[i])
			}
			return ""
		}
		for _, c := range metrics {
			s := cell(c)
			if s == "" {
				continue
			}
			v, ok := parseNumber(s)
			if !ok {
				e := xerr.Input(name, fmt.Sprintf("column %q: %q is not a number", strings.TrimSpace(header[c]), s), formatsHint)
				e.Line = rw.line
				return nil, e
			}
			setting := ""
			if hasS {
				setting = cell(si)
			}
			out = append(out, Result{Dataset: cell(di), Metric: strings.TrimSpace(header[c]), Setting: setting, Value: v, File: name, Line: rw.line})
		}
	}
	if len(metrics) == 0 && len(rows) > 0 {
		return nil, xerr.Input(name, "the CSV has a dataset column but no metric, value or numeric columns", formatsHint)
	}
	return out, nil
}

func csvError(name string, err error) error {
	e := &xerr.Error{Kind: xerr.KindInput, File: name, Msg: "cannot read the CSV", Hint: formatsHint}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e.Line = pe.Line
		e.Msg = "cannot read the CSV: " + pe.Err.Error()
		return e
	}
	e.Err = err
	return e
}

// jsonReader walks a JSON document keeping track of lines.
type jsonReader struct {
	name  string
	data  []byte
	lines []int // offsets of line starts
	base  int   // offset of data within the file (JSON Lines)
	dec   *json.Decoder
	out   []Result
}

func newJSONReader(name string, data []byte, base int, lines []int) *jsonReader {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &jsonReader{name: name, data: data, lines: lines, base: base, dec: dec}
}

func lineStarts(data []byte) []int {
	ls := []int{0}
	for i, b := range data {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (j *jsonReader) line(off int64) int {
	// Skip to the value: the decoder's offset is after the previous token.
	for off >= 0 && int(off) < len(j.data) && strings.IndexByte(" \t\r\n,:", j.data[off]) >= 0 {
		off++
	}
	o := int(off) + j.base
	i, _ := slices.BinarySearch(j.lines, o+1)
	return max(i, 1)
}

func (j *jsonReader) errAt(off int64, format string, args ...any) *xerr.Error {
	return &xerr.Error{Kind: xerr.KindInput, File: j.name, Line: j.line(off), Msg: fmt.Sprintf(format, args...), Hint: formatsHint}
}

func (j *jsonReader) syntax(err error) *xerr.Error {
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	off := j.dec.InputOffset()
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &ue):
		off = ue.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return j.errAt(off, "invalid JSON: unexpected end of the file")
	}
	return j.errAt(off, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

const maxJSONDepth = 16

// value reads one JSON value under path (the keys above it).
func (j *jsonReader) value(path []string, depth int) error {
	off := j.dec.InputOffset()
	tok, err := j.dec.Token()
	if err != nil {
		return j.syntax(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			if depth >= maxJSONDepth {
				return j.errAt(off, "the JSON is nested too deeply")
			}
			return j.object(path, depth+1)
		case '[':
			if len(path) > 0 {
				return j.errAt(off, "unexpected list at %s", strings.Join(path, "."))
			}
			return j.records()
		}
		return j.errAt(off, "invalid JSON")
	case json.Number, string:
		if len(path) == 0 {
			return j.errAt(off, "the JSON is a single value, not results")
		}
		s := fmt.Sprint(t)
		v, ok := parseNumber(s)
		if !ok {
			return j.errAt(off, "%s: %q is not a number", strings.Join(path, "."), s)
		}
		r := Result{Metric: path[len(path)-1], Value: v, File: j.name, Line: j.line(off)}
		if len(path) > 1 {
			r.Dataset = path[0]
		}
		if len(path) > 2 {
			r.Setting = strings.Join(path[1:len(path)-1], " / ")
		}
		j.out = append(j.out, r)
		return nil
	case nil:
		return nil // not run
	case bool:
		return j.errAt(off, "%s: %v is not a number", strings.Join(path, "."), t)
	}
	return j.errAt(off, "invalid JSON")
}

// object reads the rest of an object whose '{' was read.
func (j *jsonReader) object(path []string, depth int) error {
	for j.dec.More() {
		tok, err := j.dec.Token()
		if err != nil {
			return j.syntax(err)
		}
		k, ok := tok.(string)
		if !ok {
			return j.errAt(j.dec.InputOffset(), "invalid JSON: object key")
		}
		if err := j.value(append(path[:len(path):len(path)], k), depth); err != nil {
			return err
		}
	}
	if _, err := j.dec.Token(); err != nil { // '}'
		return j.syntax(err)
	}
	return nil
}

// records reads the rest of a list of {"dataset","metric","value"} records
// whose '[' was read.
func (j *jsonReader) records() error {
	for j.dec.More() {
		off := j.dec.InputOffset()
		var rec map[string]any
		if err := j.dec.Decode(&rec); err != nil {
			var ue *json.UnmarshalTypeError
			if errors.As(err, &ue) {
				return j.errAt(off, "a list of results must hold {\"dataset\", \"metric\", \"value\"} records")
			}
			return j.syntax(err)
		}
		if err := j.record(rec, off); err != nil {
			return err
		}
	}
	if _, err := j.dec.Token(); err != nil { // ']'
		return j.syntax(err)
	}
	return nil
}

// record adds one {"dataset","metric","value"[,"setting"]} record.
func (j *jsonReader) record(rec map[string]any, off int64) error {
	if rec == nil {
		return j.errAt(off, "a results record must be an object")
	}
	str := func(k string) (string, error) {
		switch v := rec[k].(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		case json.Number:
			return v.String(), nil
		}
		return "", j.errAt(off, "record: %s must be a string", k)
	}
	ds, err := str("dataset")
	if err != nil {
		return err
	}
	ms, err := str("metric")
	if err != nil {
		return err
	}
	ss, err := str("setting")
	if err != nil {
		return err
	}
	if _, ok := rec["metric"]; !ok {
		return j.errAt(off, "record has no \"metric\"")
	}
	var v float64
	switch x := rec["value"].(type) {
	case nil:
		if _, ok := rec["value"]; !ok {
			return j.errAt(off, "record has no \"value\"")
		}
		return nil // null: not run
	case json.Number:
		f, ok := parseNumber(x.String())
		if !ok {
			return j.errAt(off, "record: value %s is not a number", x)
		}
		v = f
	case string:
		f, ok := parseNumber(x)
		if !ok {
			return j.errAt(off, "record: value %q is not a number", x)
		}
		v = f
	default:
		return j.errAt(off, "record: value must be a number")
	}
	j.out = append(j.out, Result{Dataset: ds, Metric: ms, Setting: ss, Value: v, File: j.name, Line: j.line(off)})
	return nil
}

// parseJSON reads {"dataset": {"metric": v}} (any depth: the first key is
// the dataset, the last the metric, the ones between the setting; a number
// at the top level has no dataset), a list of records or one record. A
// .json file that holds one object per line is read as JSON Lines.
func parseJSON(name string, data []byte) ([]Result, error) {
	if looksLikeJSONL(data) {
		return parseJSONL(name, data)
	}
	j := newJSONReader(name, data, 0, lineStarts(data))
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) == nil && top["metric"] != nil {
		// A single record.
		var rec map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&rec); err != nil {
			return nil, j.syntax(err)
		}
		if err := j.record(rec, 0); err != nil {
			return nil, err
		}
		return j.out, nil
	}
	if err := j.value(nil, 0); err != nil {
		return nil, err
	}
	if _, err := j.dec.Token(); err != io.EOF {
		return nil, j.errAt(j.dec.InputOffset(), "extra data after the JSON value")
	}
	return j.out, nil
}

func looksLikeJSONL(data []byte) bool {
	n := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if l[0] != '{' || l[len(l)-1] != '}' {
			return false
		}
		n++
	}
	return n > 1
}

// parseJSONL reads one JSON object per line: a record with "metric" and
// "value", or else an object read like a JSON file ({"metric": v} or
// {"dataset": {"metric": v}}); blank lines are skipped.
func parseJSONL(name string, data []byte) ([]Result, error) {
	lines := lineStarts(data)
	var out []Result
	for i, start := range lines {
		end := len(data)
		if i+1 < len(lines) {
			end = lines[i+1]
		}
		l := data[start:end]
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		j := newJSONReader(name, l, start, lines)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(l, &raw); err != nil || raw == nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Line: i + 1, Msg: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: "), Hint: formatsHint}
			}
			return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Line: i + 1, Msg: "each line must be a JSON object", Hint: formatsHint}
		}
		if _, ok := raw["metric"]; ok {
			var rec map[string]any
			dec := json.NewDecoder(bytes.NewReader(l))
			dec.UseNumber()
			if err := dec.Decode(&rec); err != nil {
				return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Line: i + 1, Msg: "invalid JSON", Hint: formatsHint, Err: err}
			}
			if err := j.record(rec, 0); err != nil {
				return nil, err
			}
		} else if err := j.value(nil, 0); err != nil {
			return nil, err
		}
		out = append(out, j.out...)
	}
	return out, nil
}

// ReadTFEventsDir reads every TensorBoard event file under dir (in
// subfolders too). A scalar's tag is prefixed with its file's folder
// relative to dir, as TensorBoard names runs ("validation/epoch_accuracy");
// for one run and tag, the value with the highest step wins, then the one
// written last (files in name order, which is time order).
func ReadTFEventsDir(dir string) ([]Result, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isTFEventsName(path) && strings.HasPrefix(d.Name(), "events.out.tfevents") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot read the folder", Err: err}
	}
	if len(files) == 0 {
		return nil, xerr.Input(dir, "no TensorBoard event files (events.out.tfevents.*) in the folder", formatsHint)
	}
	slices.Sort(files)
	merged := map[string]tagValue{}
	for _, path := range files {
		tags, err := readTFEventsFile(path)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(path))
		if err != nil || rel == "." {
			rel = ""
		}
		rel = filepath.ToSlash(rel)
		for tag, tv := range tags {
			full := tag
			if rel != "" {
				full = rel + "/" + tag
			}
			if old, ok := merged[full]; !ok || tv.step >= old.step {
				merged[full] = tv
			}
		}
	}
	return tagResults(merged, ""), nil
}

func readTFEventsFile(path string) (map[string]tagValue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the event file", Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the event file", Err: err}
	}
	return readTFEvents(path, f, st.Size())
}

// tagResults turns the last value of each tag into results, sorted by tag:
// "a/b/metric" is dataset "a/b", metric "metric".
func tagResults(tags map[string]tagValue, prefix string) []Result {
	var out []Result
	for _, tag := range sortedKeys(tags) {
		tv := tags[tag]
		full := tag
		if prefix != "" {
			full = prefix + "/" + tag
		}
		r := Result{Metric: full, Value: tv.value, File: tv.file, Step: tv.step}
		if i := strings.LastIndexByte(full, '/'); i >= 0 {
			r.Dataset, r.Metric = full[:i], full[i+1:]
		}
		out = append(out, r)
	}
	return out
}
