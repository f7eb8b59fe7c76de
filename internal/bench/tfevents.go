package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/reprohq/repro/internal/xerr"
)

// TensorBoard event files are TFRecord files: each record is
//
//	uint64 length (little-endian)
//	uint32 masked CRC32C of the 8 length bytes
//	byte   data[length]
//	uint32 masked CRC32C of data
//
// and each record's data is an Event protocol buffer. The mask is
// ((crc >> 15) | (crc << 17)) + 0xa282ead8. The fields read here (from
// tensorflow/core/util/event.proto and summary.proto):
//
//	Event:   1 wall_time double, 2 step int64, 5 summary Summary
//	Summary: 1 value repeated Value
//	Value:   1 tag string, 2 simple_value float, 8 tensor TensorProto,
//	         9 metadata SummaryMetadata
//	SummaryMetadata: 1 plugin_data {1 plugin_name string}
//	TensorProto: 1 dtype (1 float, 2 double), 2 tensor_shape {2 dim
//	         repeated {1 size int64}}, 4 tensor_content bytes,
//	         5 float_val packed float, 6 double_val packed double
//
// Scalars are simple_value (TF1, PyTorch's SummaryWriter) and scalar
// float/double tensors (TF2's tf.summary.scalar).

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskedCRC is the TFRecord checksum of b: CRC32C, rotated right by 15 bits
// and offset by 0xa282ead8.
func maskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return ((c >> 15) | (c << 17)) + 0xa282ead8
}

func looksLikeTFRecord(data []byte) bool {
	return len(data) >= 12 && maskedCRC(data[:8]) == binary.LittleEndian.Uint32(data[8:12])
}

// tagValue is the last value of one tag.
type tagValue struct {
	value float64
	step  int64
	file  string
}

const tfHint = "TensorBoard event files are TFRecord files of Event protocol buffers; this one looks corrupt. " + formatsHint

// maxRecord caps one record's length.
const maxRecord = 1 << 30

// readTFEvents reads an event file of size bytes and returns the last value
// of each scalar tag: the one with the highest step, then the one written
// last.
func readTFEvents(name string, r io.Reader, size int64) (map[string]tagValue, error) {
	tags := map[string]tagValue{}
	skipTags := map[string]bool{} // tags whose plugin is not "scalars"
	var off int64
	var hdr [12]byte
	var buf []byte
	for {
		n, err := io.ReadFull(r, hdr[:])
		if err == io.EOF {
			break
		}
		if err == io.ErrUnexpectedEOF {
			return nil, truncated(name, off, int64(n), 12)
		}
		if err != nil {
			return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Msg: "cannot read the event file", Err: err}
		}
		length := binary.LittleEndian.Uint64(hdr[:8])
		if stored, got := binary.LittleEndian.Uint32(hdr[8:]), maskedCRC(hdr[:8]); stored != got {
			return nil, xerr.Input(name, fmt.Sprintf("record at offset %d: length CRC mismatch (stored %#08x, computed %#08x)", off, stored, got), tfHint)
		}
		if length > maxRecord {
			return nil, xerr.Input(name, fmt.Sprintf("record at offset %d: %d bytes is too large for an event", off, length), tfHint)
		}
		if rest := size - off - 12; int64(length)+4 > rest {
			return nil, truncated(name, off, 12+max(rest, 0), 16+int64(length))
		}
		if cap(buf) < int(length)+4 {
			buf = make([]byte, int(length)+4)
		}
		buf = buf[:int(length)+4]
		if n, err := io.ReadFull(r, buf); err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return nil, truncated(name, off, 12+int64(n), 16+int64(length))
			}
			return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Msg: "cannot read the event file", Err: err}
		}
		data := buf[:length]
		if stored, got := binary.LittleEndian.Uint32(buf[length:]), maskedCRC(data); stored != got {
			return nil, xerr.Input(name, fmt.Sprintf("record at offset %d: data CRC mismatch (stored %#08x, computed %#08x)", off, stored, got), tfHint)
		}
		ev, err := decodeEvent(data)
		if err != nil {
			return nil, xerr.Input(name, fmt.Sprintf("record at offset %d: not a TensorBoard event: %v", off, err), tfHint)
		}
		for _, s := range ev.scalars {
			if s.plugin != "" && s.plugin != "scalars" {
				skipTags[s.tag] = true
			}
			if skipTags[s.tag] || !s.ok {
				continue
			}
			if old, seen := tags[s.tag]; !seen || ev.step >= old.step {
				tags[s.tag] = tagValue{value: s.value, step: ev.step, file: name}
			}
		}
		off += 16 + int64(length)
	}
	return tags, nil
}

func truncated(name string, off, got, want int64) error {
	return xerr.Input(name, fmt.Sprintf("record at offset %d is truncated (%d of %d bytes)", off, got, want),
		"the writer may still be running: close the SummaryWriter (writer.close()) or wait for the run to end, then try again")
}

type event struct {
	step    int64
	scalars []scalar
}

type scalar struct {
	tag    string
	plugin string
	value  float64
	ok     bool // a scalar value was found
}

// fields calls f for each field of a protocol buffer message.
func fields(b []byte, f func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var u uint32
			u, n = protowire.ConsumeFixed32(b)
			x = uint64(u)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if err := f(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}

var errWireType = errors.New("unexpected wire type")

func decodeEvent(b []byte) (event, error) {
	var ev event
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 2: // step
			if typ != protowire.VarintType {
				return errWireType
			}
			ev.step = int64(x)
		case 5: // summary
			if typ != protowire.BytesType {
				return errWireType
			}
			return fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
				if num != 1 {
					return nil
				}
				if typ != protowire.BytesType {
					return errWireType
				}
				s, err := decodeValue(v)
				if err != nil {
					return err
				}
				if s.tag != "" {
					ev.scalars = append(ev.scalars, s)
				}
				return nil
			})
		}
		return nil
	})
	return ev, err
}

func decodeValue(b []byte) (scalar, error) {
	var s scalar
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1: // tag
			if typ != protowire.BytesType {
				return errWireType
			}
			s.tag = string(v)
		case 2: // simple_value
			if typ != protowire.Fixed32Type {
				return errWireType
			}
			s.value, s.ok = float32Value(uint32(x)), true
		case 8: // tensor
			if typ != protowire.BytesType {
				return errWireType
			}
			v, ok, err := tensorScalar(v)
			if err != nil {
				return err
			}
			if ok {
				s.value, s.ok = v, true
			}
		case 9: // metadata
			if typ != protowire.BytesType {
				return errWireType
			}
			return fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
				if num != 1 || typ != protowire.BytesType {
					return nil
				}
				return fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
					if num == 1 && typ == protowire.BytesType {
						s.plugin = string(v)
					}
					return nil
				})
			})
		}
		return nil
	})
	return s, err
}

// float32Value converts a float32 to the float64 of its shortest decimal
// form, so that 0.913f is 0.913 and not 0.9129999876022339.
func float32Value(bits uint32) float64 {
	f := math.Float32frombits(bits)
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return float64(f)
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	return v
}

const (
	dtFloat  = 1
	dtDouble = 2
)

// tensorScalar returns the value of a float or double tensor with one
// element; ok is false for any other tensor.
func tensorScalar(b []byte) (float64, bool, error) {
	var dtype uint64
	elems := int64(1)
	var content []byte
	var floats []float64
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			dtype = x
		case 2: // shape
			if typ != protowire.BytesType {
				return errWireType
			}
			return fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
				if num != 2 || typ != protowire.BytesType {
					return nil
				}
				return fields(v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
					if num == 1 && typ == protowire.VarintType {
						elems *= int64(x)
						if elems > 1 || elems < 0 {
							elems = 2 // not a scalar; stop growing
						}
					}
					return nil
				})
			})
		case 4:
			content = v
		case 5: // float_val
			switch typ {
			case protowire.Fixed32Type:
				floats = append(floats, float32Value(uint32(x)))
			case protowire.BytesType:
				for len(v) >= 4 {
					floats = append(floats, float32Value(binary.LittleEndian.Uint32(v)))
					v = v[4:]
				}
			}
		case 6: // double_val
			switch typ {
			case protowire.Fixed64Type:
				floats = append(floats, math.Float64frombits(x))
			case protowire.BytesType:
				for len(v) >= 8 {
					floats = append(floats, math.Float64frombits(binary.LittleEndian.Uint64(v)))
					v = v[8:]
				}
			}
		}
		return nil
	})
	if err != nil || elems != 1 {
		return 0, false, err
	}
	switch dtype {
	case dtFloat:
		if len(content) == 4 {
			return float32Value(binary.LittleEndian.Uint32(content)), true, nil
		}
	case dtDouble:
		if len(content) == 8 {
			return math.Float64frombits(binary.LittleEndian.Uint64(content)), true, nil
		}
	default:
		return 0, false, nil
	}
	if len(floats) == 1 {
		return floats[0], true, nil
	}
	return 0, false, nil
}
