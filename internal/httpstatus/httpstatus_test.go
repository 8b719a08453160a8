package httpstatus_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/httpstatus"
)

type pgError struct{ code string }

func (e pgError) Error() string    { return "ERROR: could not extend file (SQLSTATE " + e.code + ")" }
func (e pgError) SQLState() string { return e.code }

// A full disk, as each store and the system say it, is 507 (the
// administrator must free space), not a bare 500; other failures keep
// their statuses.
func TestDiskFull(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		want int
	}{
		"ENOSPC":            {fmt.Errorf("write chunk 3: %w", &os.PathError{Op: "write", Path: "habeas.db-wal", Err: syscall.ENOSPC}), http.StatusInsufficientStorage},
		"PostgreSQL 53100":  {fmt.Errorf("append change 7: %w", pgError{"53100"}), http.StatusInsufficientStorage},
		"SQLite FULL":       {errors.New("commit: database or disk is full (13)"), http.StatusInsufficientStorage},
		"another SQLSTATE":  {pgError{"23505"}, http.StatusInternalServerError},
		"a refusal":         {habeas.Errorf(habeas.EINVALID, "no"), http.StatusBadRequest},
		"any other failure": {errors.New("connection reset"), http.StatusInternalServerError},
	} {
		if got := httpstatus.Of(tc.err); got != tc.want {
			t.Errorf("%s: %d, want %d", name, got, tc.want)
		}
	}
}
