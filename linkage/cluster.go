package linkage

import (
	"slices"
)

// edge is a scored candidate pair: records i < j and their log2 odds.
type edge struct {
	i, j int32
	w    float32
}

// Cannot-link: records that must never share a cluster, however the
// chain of pairs between them runs.
//
//   - two different valid IINs;
//   - sex known in both and different;
//   - birth years more than farYears apart, unless the years differ in a
//     single digit or by two swapped digits (a typing slip, not another
//     person);
//   - different given names with full birth dates that differ by more
//     than a slip (not a day apart, not day and month swapped, not one
//     digit or two adjacent digits of YYYYMMDD). Siblings share surname,
//     patronymic and region; given name and date of birth are what tell
//     them apart, so such a pair is left to a human (the review queue),
//     never merged by a chain of other reports. One person's reports with a
//     badly copied date keep their given name and still merge.
const farYears = 5

// datesConflict reports whether two full birth dates (YYYYMMDD) cannot be
// one person's, allowing for the slips that official lists are full of.
func datesConflict(a, b uint32) bool {
	if a == b {
		return false
	}
	ya, ma, da := a/10000, a/100%100, a%100
	yb, mb, db := b/10000, b/100%100, b%100
	if ya == yb && ((ma == mb && abs(int(da)-int(db)) <= 1) || (ma == db && da == mb)) {
		return false
	}
	x, y := digits8(a), digits8(b)
	diff, first := 0, -1
	for k := range x {
		if x[k] != y[k] {
			if first < 0 {
				first = k
			}
			diff++
		}
	}
	if diff <= 1 {
		return false
	}
	swapped := diff == 2 && first+1 < 8 && x[first] == y[first+1] && x[first+1] == y[first]
	return !swapped
}

func digits8(v uint32) [8]byte {
	var d [8]byte
	for k := 7; k >= 0; k, v = k-1, v/10 {
		d[k] = byte(v % 10)
	}
	return d
}

// farApart reports whether two birth years are too far apart to be one
// person's.
func farApart(a, b uint16) bool {
	if a == 0 || b == 0 || abs(int(a)-int(b)) <= farYears {
		return false
	}
	x, y := [4]byte{}, [4]byte{}
	for k, v := 3, int(a); k >= 0; k, v = k-1, v/10 {
		x[k] = byte(v % 10)
	}
	for k, v := 3, int(b); k >= 0; k, v = k-1, v/10 {
		y[k] = byte(v % 10)
	}
	diff := 0
	for k := range x {
		if x[k] != y[k] {
			diff++
		}
	}
	if diff <= 1 {
		return false
	}
	for k := 0; k+1 < 4; k++ {
		if x[k] == y[k+1] && x[k+1] == y[k] && diff == 2 && x[k] != y[k] {
			return false
		}
	}
	return true
}

// constraints is what a cluster holds that cannot-link checks.
type constraints struct {
	iin   uint32      // the valid IIN, 0 when none
	sex   uint8       // bit 0 male, bit 1 female
	years []uint16    // distinct birth years
	dates []datedName // distinct given names with a full birth date
}

// datedName is a given name key with a full birth date, YYYYMMDD.
type datedName struct {
	given uint32
	date  uint32
}

func (c *constraints) compatible(d *constraints) bool {
	if c.iin != 0 && d.iin != 0 && c.iin != d.iin {
		return false
	}
	if c.sex|d.sex == 3 {
		return false
	}
	for _, x := range c.years {
		for _, y := range d.years {
			if farApart(x, y) {
				return false
			}
		}
	}
	for _, x := range c.dates {
		for _, y := range d.dates {
			if x.given != y.given && datesConflict(x.date, y.date) {
				return false
			}
		}
	}
	return true
}

func (c *constraints) merge(d *constraints) {
	if c.iin == 0 {
		c.iin = d.iin
	}
	c.sex |= d.sex
	for _, y := range d.years {
		if !slices.Contains(c.years, y) {
			c.years = append(c.years, y)
		}
	}
	for _, x := range d.dates {
		if !slices.Contains(c.dates, x) {
			c.dates = append(c.dates, x)
		}
	}
}

// cannotLink reports whether two records must never share a cluster.
func cannotLink(a, b *feat) bool {
	ca, cb := recordConstraints(a), recordConstraints(b)
	return !ca.compatible(&cb)
}

func recordConstraints(f *feat) constraints {
	var c constraints
	if f.idKind == idIIN {
		c.iin = f.id
	}
	if f.sex != 0 {
		c.sex = 1 << (f.sex - 1)
	}
	if f.year != 0 {
		c.years = []uint16{f.year}
	}
	if f.prec == PrecisionDay && f.given != 0 {
		c.dates = []datedName{{f.given, uint32(f.year)*10000 + uint32(f.month)*100 + uint32(f.day)}}
	}
	return c
}

// clusterStats counts what clustering did.
type clusterStats struct {
	edges, refused int
}

// cluster merges records along edges, strongest first, with union-find,
// refusing any merge that would put a cannot-link pair in one cluster. It
// returns each record's root.
func cluster(feats []feat, edges []edge) ([]int32, clusterStats) {
	slices.SortFunc(edges, func(a, b edge) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		case a.i != b.i:
			return int(a.i - b.i)
		}
		return int(a.j - b.j)
	})
	n := len(feats)
	parent := make([]int32, n)
	size := make([]int32, n)
	cons := make(map[int32]*constraints) // roots of clusters of two or more
	for i := range parent {
		parent[i] = int32(i)
		size[i] = 1
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	get := func(root int32) *constraints {
		if c, ok := cons[root]; ok {
			return c
		}
		c := recordConstraints(&feats[root])
		return &c
	}
	var st clusterStats
	for _, e := range edges {
		a, b := find(e.i), find(e.j)
		if a == b {
			continue
		}
		ca, cb := get(a), get(b)
		if !ca.compatible(cb) {
			st.refused++
			continue
		}
		st.edges++
		if size[a] < size[b] || size[a] == size[b] && a > b {
			a, b = b, a
			ca, cb = cb, ca
		}
		parent[b] = a
		size[a] += size[b]
		ca.merge(cb)
		cons[a] = ca
		delete(cons, b)
	}
	roots := make([]int32, n)
	for i := range roots {
		roots[i] = find(int32(i))
	}
	return roots, st
}
