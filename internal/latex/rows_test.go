package latex

import (
	"reflect"
	"testing"
)

func TestGroupRows(t *testing.T) {
	n := func(s string) *string { return &s }
	tests := []struct {
		name string
		nums []*string
		want []RowGroup
	}{
		{"one numbered row", []*string{n("1")}, []RowGroup{{Rows: []int{0}, Num: n("1")}}},
		{"every row numbered", []*string{n("1"), n("2")}, []RowGroup{{Rows: []int{0}, Num: n("1")}, {Rows: []int{1}, Num: n("2")}}},
		{"unnumbered rows join the next", []*string{nil, nil, n("3")}, []RowGroup{{Rows: []int{0, 1, 2}, Num: n("3")}}},
		{"trailing rows join the previous", []*string{n("1"), nil}, []RowGroup{{Rows: []int{0, 1}, Num: n("1")}}},
		{"no number at all", []*string{nil, nil}, []RowGroup{{Rows: []int{0, 1}}}},
		{"no rows", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := GroupRows(tc.nums); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("GroupRows = %+v, want %+v", got, tc.want)
			}
		})
	}
}
