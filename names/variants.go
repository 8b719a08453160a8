package names

import (
	_ "embed"
	"strings"
)

//go:embed variants.txt
var variantsText string

//go:embed given.txt
var givenText string

// variants maps the skeleton of a variant of a given name to the skeleton of
// its canonical form.
var variants map[string]string

// givenNames holds the keys of common given names.
var givenNames map[string]bool

// variantConflicts lists forms whose skeleton the table assigns to two
// canonical names; the tests require it to be empty.
var variantConflicts []string

func init() {
	variants = make(map[string]string)
	givenNames = make(map[string]bool)
	for _, line := range strings.Split(variantsText, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		canon := skeletonKey(f[0])
		for _, v := range f {
			sk := skeletonKey(v)
			if c, ok := variants[sk]; ok && c != canon {
				variantConflicts = append(variantConflicts, v)
				continue
			}
			if sk != canon {
				variants[sk] = canon
			}
		}
		givenNames[canon] = true
	}
	for _, line := range strings.Split(givenText, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		for _, g := range f {
			givenNames[Key(g)] = true
		}
	}
	// A canonical form must not itself be a variant of another one, or Key
	// would not be idempotent.
	for v, c := range variants {
		if cc, ok := variants[c]; ok {
			variantConflicts = append(variantConflicts, v+" → "+c+" → "+cc)
		}
	}
}
