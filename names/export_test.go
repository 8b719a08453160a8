package names

// VariantConflicts exposes the table check to the black-box tests.
func VariantConflicts() []string { return variantConflicts }
