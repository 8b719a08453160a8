package passwords

import (
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		password, name string
		reason         string // "" for accepted
	}{
		{"correct horse battery", "aigul", ""},
		{"Ұшқыр-бүркіт-таулар", "aigul", ""},       // Kazakh letters count as one character each
		{"elevenchars", "aigul", "at least 12"},    // 11
		{"twelve chars", "aigul", ""},              // 12, on the other side
		{"qazwsxedcrfv", "aigul", "attackers try"}, // in the list
		{"QAZWSXEDCRFV", "aigul", "attackers try"}, // whatever the case
		{"password123456!", "aigul", "digits or symbols added"},
		{"2024sunshine!!", "aigul", "digits or symbols added"},
		{"aaaaaaaaaaaaaa", "aigul", "repeats"},
		{"abcdefghijklmn", "aigul", "repeats"},
		{"987654321098", "aigul", "repeats"},
		{"xyzxyzxyzxyz", "aigul", "repeats"},
		{"my name is aigul!", "aigul", "contains"},
		{"habeas for everyone", "aigul", "contains"},
		{strings.Repeat("long enough words ", 15), "aigul", "at most 256"},
	}
	for _, tt := range tests {
		err := Check(tt.password, tt.name)
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("%q refused: %v", tt.password, err)
		case tt.reason != "" && err == nil:
			t.Errorf("%q accepted, want refused (%s)", tt.password, tt.reason)
		case tt.reason != "":
			if fs := habeas.ErrorFields(err); len(fs) != 1 || fs[0].Field != "password" || !strings.Contains(fs[0].Reason, tt.reason) || fs[0].Code == "" {
				t.Errorf("%q: %+v, want the field password saying %q", tt.password, fs, tt.reason)
			}
		}
	}
}

func TestListIsSorted(t *testing.T) {
	if len(common) < 10000 {
		t.Fatalf("%d common passwords embedded", len(common))
	}
	for i := 1; i < len(common); i++ {
		if common[i-1] >= common[i] {
			t.Fatalf("the list is not sorted at %q, %q: binary search would miss", common[i-1], common[i])
		}
	}
}
