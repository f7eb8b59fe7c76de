package bench

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// crc32cBitwise is CRC32C computed bit by bit from the polynomial
// (reflected 0x82F63B78), independent of hash/crc32's tables.
func crc32cBitwise(data []byte) uint32 {
	crc := ^uint32(0)
	for _, b := range data {
		crc ^= uint32(b)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x82F63B78
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

func TestMaskedCRC(t *testing.T) {
	if got := crc32cBitwise([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("crc32c check value %#x, want 0xe3069283", got)
	}
	mask := func(c uint32) uint32 { return (c>>15 | c<<17) + 0xa282ead8 }
	var zero [8]byte
	tests := []struct {
		data []byte
		want uint32
	}{
		// The length 0 as 8 little-endian bytes.
		{zero[:], 0x07980329},
		// The length 24 of the file_version record that starts every event
		// file: its header bytes are 18 00 00 00 00 00 00 00 a3 7f 4b 22.
		{[]byte{24, 0, 0, 0, 0, 0, 0, 0}, 0x224b7fa3},
		// Empty data.
		{nil, 0xa282ead8},
	}
	for _, tt := range tests {
		if got := maskedCRC(tt.data); got != tt.want {
			t.Errorf("maskedCRC(% x) = %#08x, want %#08x", tt.data, got, tt.want)
		}
		if got := mask(crc32cBitwise(tt.data)); got != tt.want {
			t.Errorf("spec: masked crc32c(% x) = %#08x, want %#08x", tt.data, got, tt.want)
		}
	}
	rec := appendTFRecord(nil, nil)
	if fmt.Sprintf("% x", rec) != "00 00 00 00 00 00 00 00 29 03 98 07 d8 ea 82 a2" {
		t.Errorf("empty record % x", rec)
	}
}

// appendTFRecord appends one TFRecord-framed record holding data to b. It
// is what event-file writers do.
func appendTFRecord(b, data []byte) []byte {
	var hdr [8]byte
	binary.LittleEndian.PutUint64(hdr[:], uint64(len(data)))
	b = append(b, hdr[:]...)
	b = binary.LittleEndian.AppendUint32(b, maskedCRC(hdr[:]))
	b = append(b, data...)
	return binary.LittleEndian.AppendUint32(b, maskedCRC(data))
}

// tfValue is a summary value for the test encoder.
type tfValue struct {
	tag     string
	simple  *float32
	f32     *float32 // scalar DT_FLOAT tensor in float_val
	f32raw  *float32 // scalar DT_FLOAT tensor in tensor_content
	f64     *float64 // scalar DT_DOUBLE tensor in double_val
	shape   []int64
	plugin  string
	image   bool
	str     bool // a DT_STRING tensor (text plugin)
	unknown bool // an unknown field before the value
}

type tfEvent struct {
	wall        float64
	step        int64
	fileVersion string
	values      []tfValue
}

func encodeTensor(dtype uint64, shape []int64, add func([]byte) []byte) []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, dtype)
	var sh []byte
	for _, d := range shape {
		var dim []byte
		dim = protowire.AppendTag(dim, 1, protowire.VarintType)
		dim = protowire.AppendVarint(dim, uint64(d))
		sh = protowire.AppendTag(sh, 2, protowire.BytesType)
		sh = protowire.AppendBytes(sh, dim)
	}
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, sh)
	return add(b)
}

func encodeValue(v tfValue) []byte {
	var b []byte
	if v.unknown {
		b = protowire.AppendTag(b, 15, protowire.BytesType)
		b = protowire.AppendBytes(b, []byte("ignored"))
		b = protowire.AppendTag(b, 16, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, 7)
	}
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, v.tag)
	if v.plugin != "" {
		var pd, md []byte
		pd = protowire.AppendTag(pd, 1, protowire.BytesType)
		pd = protowire.AppendString(pd, v.plugin)
		md = protowire.AppendTag(md, 1, protowire.BytesType)
		md = protowire.AppendBytes(md, pd)
		b = protowire.AppendTag(b, 9, protowire.BytesType)
		b = protowire.AppendBytes(b, md)
	}
	var tensor []byte
	switch {
	case v.simple != nil:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(*v.simple))
	case v.f32 != nil:
		n := 1
		for _, d := range v.shape {
			n *= int(d)
		}
		tensor = encodeTensor(1, v.shape, func(b []byte) []byte {
			var packed []byte
			for range n {
				packed = binary.LittleEndian.AppendUint32(packed, math.Float32bits(*v.f32))
			}
			b = protowire.AppendTag(b, 5, protowire.BytesType)
			return protowire.AppendBytes(b, packed)
		})
	case v.f32raw != nil:
		tensor = encodeTensor(1, v.shape, func(b []byte) []byte {
			b = protowire.AppendTag(b, 4, protowire.BytesType)
			return protowire.AppendBytes(b, binary.LittleEndian.AppendUint32(nil, math.Float32bits(*v.f32raw)))
		})
	case v.f64 != nil:
		tensor = encodeTensor(2, v.shape, func(b []byte) []byte {
			b = protowire.AppendTag(b, 6, protowire.BytesType)
			return protowire.AppendBytes(b, binary.LittleEndian.AppendUint64(nil, math.Float64bits(*v.f64)))
		})
	case v.str:
		tensor = encodeTensor(7, nil, func(b []byte) []byte {
			b = protowire.AppendTag(b, 8, protowire.BytesType)
			return protowire.AppendString(b, "some text")
		})
	case v.image:
		var img []byte
		img = protowire.AppendTag(img, 1, protowire.VarintType)
		img = protowire.AppendVarint(img, 32)
		img = protowire.AppendTag(img, 4, protowire.BytesType)
		img = protowire.AppendBytes(img, []byte("\x89PNG"))
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendBytes(b, img)
	}
	if tensor != nil {
		b = protowire.AppendTag(b, 8, protowire.BytesType)
		b = protowire.AppendBytes(b, tensor)
	}
	return b
}

func encodeEvent(e tfEvent) []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, math.Float64bits(e.wall))
	b = protowire.AppendTag(b, 2, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(e.step))
	if e.fileVersion != "" {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendString(b, e.fileVersion)
	}
	if len(e.values) > 0 {
		var s []byte
		for _, v := range e.values {
			s = protowire.AppendTag(s, 1, protowire.BytesType)
			s = protowire.AppendBytes(s, encodeValue(v))
		}
		b = protowire.AppendTag(b, 5, protowire.BytesType)
		b = protowire.AppendBytes(b, s)
	}
	return b
}

func eventFile(events ...tfEvent) []byte {
	var b []byte
	for _, e := range events {
		b = appendTFRecord(b, encodeEvent(e))
	}
	return b
}

func f32(f float32) *float32 { return &f }

// sampleEvents has scalars of every kind and the things to ignore.
func sampleEvents() []byte {
	return eventFile(
		tfEvent{wall: 1, fileVersion: "brain.Event:2"},
		tfEvent{wall: 2, step: 1, values: []tfValue{
			{tag: "train/loss", simple: f32(2.5), plugin: "scalars"},
			{tag: "eval/sst2/accuracy", simple: f32(0.85)},
			{tag: "hist", f32: f32(1), shape: []int64{2, 3}, plugin: "histograms"},
			{tag: "image", image: true},
			{tag: "notes", str: true, plugin: "text"},
		}},
		tfEvent{wall: 3, step: 100, values: []tfValue{
			{tag: "train/loss", simple: f32(0.25), unknown: true},
			{tag: "eval/sst2/accuracy", simple: f32(0.913)},
			{tag: "mnli/acc", f32: f32(0.826)},              // TF2 scalar tensor, float_val
			{tag: "squad/f1", f32raw: f32(86.9)},            // tensor_content
			{tag: "wikitext-103/ppl", f64: fp(23.1)},        // double
			{tag: "shape1", f32: f32(4), shape: []int64{1}}, // one element: a scalar
			{tag: "hist", f32: f32(1), shape: []int64{2, 3}},
			{tag: "notes", f32: f32(9)}, // the text plugin's tag: ignored
		}},
		// A restarted run: a lower step does not replace the higher one.
		tfEvent{wall: 4, step: 50, values: []tfValue{{tag: "eval/sst2/accuracy", simple: f32(0.1)}}},
		// The same step written again: the later one wins.
		tfEvent{wall: 5, step: 100, values: []tfValue{{tag: "train/loss", simple: f32(0.2)}}},
		tfEvent{wall: 6, step: 7, values: []tfValue{{tag: "diverged", simple: f32(float32(math.NaN()))}, {tag: "", simple: f32(1)}}},
	)
}

func TestTFEventsRoundTrip(t *testing.T) {
	rs, err := ParseResults("runs/events.out.tfevents.1700000000.host", sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s|%s|%s|%d", r.Dataset, r.Metric, fmtNum(r.Value), r.Step))
		if r.File != "runs/events.out.tfevents.1700000000.host" || r.Line != 0 {
			t.Errorf("%+v: file/line", r)
		}
	}
	want := []string{
		"|diverged|NaN|7",
		"eval/sst2|accuracy|0.913|100",
		"mnli|acc|0.826|100",
		"|shape1|4|100",
		"squad|f1|86.9|100",
		"train|loss|0.2|100",
		"wikitext-103|ppl|23.1|100",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// They match the sample paper's targets: eval/sst2 is SST-2 ("eval"
	// is a filler word), and 0.913 is read as 91.3.
	rep := Compare(sampleFile(t), rs)
	if o := rep.Outcomes[0]; o.Status != StatusOK || o.Ours == nil || *o.Ours != 91.3 || o.Scale != 100 {
		t.Errorf("SST-2 outcome %+v", o)
	}
}

func TestTFEventsErrors(t *testing.T) {
	good := sampleEvents()
	first := len(appendTFRecord(nil, encodeEvent(tfEvent{wall: 1, fileVersion: "brain.Event:2"})))
	corrupt := func(at int) []byte {
		b := append([]byte(nil), good...)
		b[at] ^= 0xff
		return b
	}
	garbage := appendTFRecord(nil, []byte{0xff, 0xff, 0xff})
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"data CRC", corrupt(first + 12 + 3), fmt.Sprintf("record at offset %d: data CRC mismatch", first)},
		{"length CRC", corrupt(first + 9), fmt.Sprintf("record at offset %d: length CRC mismatch", first)},
		{"length", corrupt(first), fmt.Sprintf("record at offset %d: length CRC mismatch", first)},
		{"truncated data", good[:len(good)-3], "is truncated"},
		{"truncated header", good[:first+5], fmt.Sprintf("record at offset %d is truncated (5 of 12 bytes)", first)},
		{"not an event", garbage, "record at offset 0: not a TensorBoard event"},
		{"huge length", tfRecordHeader(1 << 40), "too large"},
		{"length past the end", tfRecordHeader(100), "is truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseResults("events.out.tfevents.1", tt.data)
			if err == nil {
				t.Fatal("no error")
			}
			wantInputError(t, err, 0, tt.msg)
		})
	}
	// An empty file has no results and no error.
	if rs, err := ParseResults("events.out.tfevents.1", nil); err != nil || len(rs) != 0 {
		t.Errorf("empty file: %v %v", rs, err)
	}
}

// tfRecordHeader is a record header with a valid length CRC and no
// data.
func tfRecordHeader(n uint64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, n)
	return binary.LittleEndian.AppendUint32(b, maskedCRC(b))
}

func TestReadTFEventsDir(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Keras: one folder per run, tags without a path.
	write("train/events.out.tfevents.1.a", eventFile(tfEvent{step: 9, values: []tfValue{{tag: "epoch_accuracy", simple: f32(0.99)}}}))
	write("validation/events.out.tfevents.1.a", eventFile(tfEvent{step: 9, values: []tfValue{{tag: "epoch_accuracy", simple: f32(0.9)}}}))
	// Two files of one run (a restart): the higher step wins across files.
	write("validation/events.out.tfevents.2.a", eventFile(
		tfEvent{step: 12, values: []tfValue{{tag: "epoch_accuracy", simple: f32(0.92)}}},
		tfEvent{step: 3, values: []tfValue{{tag: "epoch_loss", simple: f32(0.3)}}},
	))
	write("top/events.out.tfevents.3.b", eventFile(tfEvent{step: 1, values: []tfValue{{tag: "cifar10/fid", simple: f32(4.5)}}}))
	write("notes.txt", []byte("not an event file"))
	rs, err := ReadResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s|%s|%s|%d|%s", r.Dataset, r.Metric, fmtNum(r.Value), r.Step, filepath.Base(filepath.Dir(r.File))+"/"+filepath.Base(r.File)))
	}
	want := []string{
		"top/cifar10|fid|4.5|1|top/events.out.tfevents.3.b",
		"train|epoch_accuracy|0.99|9|train/events.out.tfevents.1.a",
		"validation|epoch_accuracy|0.92|12|validation/events.out.tfevents.2.a",
		"validation|epoch_loss|0.3|3|validation/events.out.tfevents.2.a",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The aliases of benchmarks.yaml connect Keras's run names.
	f := NewFile([]Target{{ID: "acc", Dataset: "SST-2", Metric: "Accuracy", Value: 91.3, Percent: true, Tolerance: Tolerance{Absolute: 1}}})
	f.Aliases.Datasets = map[string][]string{"SST-2": {"validation"}}
	if o := Compare(f, rs).Outcomes[0]; o.Status != StatusOK || *o.Ours != 92 {
		t.Errorf("outcome %+v", o)
	}

	empty := t.TempDir()
	_, err = ReadResults(empty)
	wantInputError(t, err, 0, "no TensorBoard event files")
	// A corrupt file in the folder is an error naming it.
	write("bad/events.out.tfevents.4", corruptCopy(sampleEvents()))
	_, err = ReadResults(dir)
	wantInputError(t, err, 0, "events.out.tfevents.4: record at offset")
}

func corruptCopy(b []byte) []byte {
	c := append([]byte(nil), b...)
	c[len(c)-1] ^= 1
	return c
}
