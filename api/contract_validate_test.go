package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractValidator checks exchanges with a server against the OpenAPI document that server
// serves, with kin-openapi's validator: the operation reached, the request of a success, and the
// status, headers and body of every response. Every object schema that lists its properties is
// closed first (additionalProperties: false), so that a field the document does not declare
// fails like a missing one.
type contractValidator struct {
	doc    *openapi3.T
	router routers.Router
	base   *url.URL                   // the server the router expects; requests to another are routed as if sent there
	seen   map[string]map[string]bool // operationId → status codes answered
}

// newContractValidator loads the document served at baseURL+/api/v1/openapi.json, checks that it
// is a valid OpenAPI document and routes requests to baseURL with it.
func newContractValidator(t *testing.T, baseURL string) *contractValidator {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(servedDocument(t, baseURL))
	if err != nil {
		t.Fatalf("loading the served document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the served document is not valid OpenAPI: %v", err)
	}
	closeSchemas(doc)
	doc.Servers = openapi3.Servers{{URL: baseURL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return &contractValidator{doc: doc, router: router, base: base, seen: map[string]map[string]bool{}}
}

// closeSchemas sets additionalProperties: false on every object schema of doc that lists
// properties and says nothing of others. Free-form maps (additionalProperties: {}) stay open.
func closeSchemas(doc *openapi3.T) {
	closed := false
	visited := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || visited[ref.Value] {
			return
		}
		s := ref.Value
		visited[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			s.AdditionalProperties.Has = &closed
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, r := range list {
				walk(r)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	for _, r := range doc.Components.Responses {
		for _, mt := range r.Value.Content {
			walk(mt.Schema)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				for _, mt := range r.Value.Content {
					walk(mt.Schema)
				}
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// exchange is one request sent and its response read.
type exchange struct {
	req      *http.Request
	reqBody  []byte
	status   int
	header   http.Header
	respBody []byte
}

// send sends req with body and reads the whole response.
func send(t *testing.T, req *http.Request, body []byte) exchange {
	t.Helper()
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exchange{req: req, reqBody: body, status: resp.StatusCode, header: resp.Header, respBody: got}
}

// check validates x against the operation wantOp of the document: the request must reach it, a
// success's request must be valid, and the response's status must be one the operation lists
// (or, with viaDefault, one it leaves to its default response) with the headers and body that
// response declares.
func (v *contractValidator) check(t *testing.T, x exchange, wantOp string, viaDefault bool) {
	t.Helper()
	x.req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
	x.req.URL.Scheme, x.req.URL.Host, x.req.Host = v.base.Scheme, v.base.Host, v.base.Host
	route, params, err := v.router.FindRoute(x.req)
	if err != nil {
		t.Fatalf("%s %s is not an operation of the document: %v", x.req.Method, x.req.URL.Path, err)
	}
	if route.Operation.OperationID != wantOp {
		t.Fatalf("%s %s reached operation %q, want %q", x.req.Method, x.req.URL.Path, route.Operation.OperationID, wantOp)
	}
	code := strconv.Itoa(x.status)
	listed := route.Operation.Responses.Status(x.status) != nil
	if listed == viaDefault {
		t.Errorf("%s answered %s (body %.300s); listed in the document: %v, want %v", wantOp, code, x.respBody, listed, !viaDefault)
	}
	if v.seen[wantOp] == nil {
		v.seen[wantOp] = map[string]bool{}
	}
	v.seen[wantOp][code] = true
	in := &openapi3filter.RequestValidationInput{Request: x.req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if x.status < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s: the request that succeeded does not match the document: %v", wantOp, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation()}}}
	out.SetBodyBytes(x.respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s: the %d response does not match the document: %v\nheaders: %v\nbody: %.500s", wantOp, x.status, err, x.header, x.respBody)
	}
}

// checkUnlisted validates a response to a request that no operation takes (a method the path
// does not serve) against the path's operation op's default response: the Error body.
func (v *contractValidator) checkUnlisted(t *testing.T, x exchange, op string) {
	t.Helper()
	req := x.req.Clone(context.Background())
	req.Method = http.MethodGet
	req.URL.Scheme, req.URL.Host, req.Host = v.base.Scheme, v.base.Host, v.base.Host
	route, params, err := v.router.FindRoute(req)
	if err != nil || route.Operation.OperationID != op {
		t.Fatalf("GET %s: %v, want operation %s", req.URL.Path, err, op)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header,
		Options: &openapi3filter.Options{MultiError: true}}
	out.SetBodyBytes(x.respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: the %d response does not match the default response: %v", x.req.Method, x.req.URL.Path, x.status, err)
	}
}

// unanswered lists, as "operationId status", every status the document lists that no checked
// exchange answered.
func (v *contractValidator) unanswered() []string {
	var out []string
	for _, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code := range op.Responses.Map() {
				if code != "default" && !v.seen[op.OperationID][code] {
					out = append(out, op.OperationID+" "+code)
				}
			}
		}
	}
	return out
}

// jsonBody encodes a request body: nil is none, a string is sent as it is, anything else as JSON.
func jsonBody(t *testing.T, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// bigJSON is a JSON body of more than MaxJSONBodyBytes.
func bigJSON() string {
	return `{"name": "` + strings.Repeat("a", MaxJSONBodyBytes+1) + `"}`
}
