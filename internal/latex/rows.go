package latex

// RowGroup is the rows of a multi-row display (align, gather, eqnarray)
// that make one equation, and the equation's number (nil when none).
type RowGroup struct {
	Rows []int
	Num  *string
}

// GroupRows groups the rows of a multi-row display into equations the way
// LaTeX numbers them: nums[i] is row i's number or nil; unnumbered rows
// join the next numbered row, and trailing unnumbered rows join the
// previous one (or make one unnumbered group when no row has a number).
func GroupRows(nums []*string) []RowGroup {
	var groups []RowGroup
	var pending []int
	for i := range nums {
		pending = append(pending, i)
		if nums[i] != nil {
			groups = append(groups, RowGroup{Rows: pending, Num: nums[i]})
			pending = nil
		}
	}
	if len(pending) > 0 {
		if len(groups) > 0 {
			g := &groups[len(groups)-1]
			g.Rows = append(g.Rows, pending...)
		} else {
			groups = append(groups, RowGroup{Rows: pending})
		}
	}
	return groups
}
