package interchange

import (
	"strconv"
	"strings"

	"github.com/habeas-project/habeas"
)

// InvalidError lists every bad line of an import that was refused; nothing
// was written. habeas.ErrorCode reports it as habeas.EINVALID, which the
// command line turns into exit code 2.
type InvalidError struct {
	Problems []Problem
}

// Problem is one reason a line was refused. Field is a path into the line's
// JSON object ("data.events.at", "seq"), or empty when the whole line is at
// fault (not JSON, not UTF-8).
type Problem struct {
	Line   int
	Field  string
	Reason string
}

func (p Problem) String() string {
	s := "line " + strconv.Itoa(p.Line) + ": "
	if p.Field != "" {
		s += p.Field + ": "
	}
	return s + p.Reason
}

// Error prints one "line N: field: reason" per problem, one per line.
func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems as a *habeas.Error with code EINVALID, so that
// habeas.ErrorCode and habeas.ErrorMessage treat the error as invalid input
// whose message is safe to show.
func (e *InvalidError) Unwrap() error {
	return &habeas.Error{Code: habeas.EINVALID, Message: e.Error()}
}
