package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// readBody reads a JSON request body of at most MaxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, invalid("invalid request", "body", "Content-Type must be application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, invalid("invalid request", "body", "is larger than %d bytes", MaxBody)
	} else if err != nil {
		return nil, invalid("invalid request", "body", "could not be read")
	}
	return body, nil
}

// decodeStrict decodes exactly one JSON value from data into v, refusing
// fields v does not have. Field paths in errors start with prefix.
func decodeStrict(data []byte, v any, message, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		field, reason := jsonProblem(err)
		return invalid(message, joinField(prefix, field), "%s", reason)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid(message, joinField(prefix, ""), "has data after the JSON value")
	}
	return nil
}

// jsonProblem turns a decoding error into the field it concerns and a reason
// a client can act on.
func jsonProblem(err error) (field, reason string) {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var when *time.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return "", "is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "", "is not complete JSON"
	case errors.As(err, &syntax):
		return "", fmt.Sprintf("is not valid JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		return typ.Field, fmt.Sprintf("expected %s, got JSON %s", typ.Type, typ.Value)
	case errors.As(err, &when):
		// encoding/json does not say which field a time came from.
		return "", fmt.Sprintf("%s is not a time in RFC 3339 form, such as 2022-01-05T14:30:00+06:00", when.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return strings.Trim(name, `"`), "is not a known field"
	}
	return "", msg
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "" && field == "":
		return "body"
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

// decodeEntity decodes a record of kind k strictly.
func decodeEntity(k habeas.Kind, data []byte, prefix string) (habeas.Entity, error) {
	e, err := habeas.NewEntity(k)
	if err != nil {
		return nil, err
	}
	if err := decodeStrict(data, e, "invalid "+string(k), prefix); err != nil {
		return nil, err
	}
	return e, nil
}
