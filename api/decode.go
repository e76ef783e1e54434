package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"gradjudge"
)

// decodeJSON reads one JSON object from body into dst. It refuses, with a message that names the
// field and says what it must be (never a Go type): a body over MaxJSONBodyBytes (ETOOLARGE), a
// body that is not valid UTF-8, not JSON, or has anything but white space after the object, and a
// field of the wrong JSON type.
func decodeJSON(body io.Reader, dst any) error {
	if body == nil {
		return gradjudge.Errorf(gradjudge.EINVALID, "the request needs a JSON object as its body")
	}
	b, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return gradjudge.Errorf(gradjudge.ETOOLARGE, "the request is larger than %d KiB", tooBig.Limit>>10)
	}
	if err != nil {
		return gradjudge.Errorf(gradjudge.EINVALID, "the request body could not be read")
	}
	if !utf8.Valid(b) {
		return gradjudge.Errorf(gradjudge.EINVALID, "the request body is not valid UTF-8 text")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return gradjudge.Errorf(gradjudge.EINVALID, "the request needs a JSON object as its body")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(dst); err != nil {
		return gradjudge.Errorf(gradjudge.EINVALID, "%s", jsonProblem(err))
	}
	if _, err := d.Token(); err != io.EOF {
		return gradjudge.Errorf(gradjudge.EINVALID, "the request body holds more than one JSON value: send one object and nothing after it")
	}
	return nil
}

// jsonProblem says in plain words what is wrong with a body the decoder refused.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("the request body is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return "the request body must be a JSON object"
	case errors.As(err, &typ):
		return fmt.Sprintf("%s must be %s, not %s", typ.Field, jsonKind(typ.Type), article(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the request body ends in the middle of its JSON"
	}
	return "the request body is not a valid JSON object"
}

// jsonKind names, as JSON does, the kind of value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == reflect.TypeOf(json.RawMessage(nil)) {
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another kind of value"
}

// article puts "a" or "an" before a JSON kind the decoder names ("array", "object", "number").
func article(kind string) string {
	if kind == "" {
		return "that"
	}
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
