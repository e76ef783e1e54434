package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func gzipped(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFileServer(t *testing.T) {
	fsys := fstest.MapFS{
		"js/app.js":    {Data: []byte("console.log(1)")},
		"js/app.js.gz": {Data: gzipped(t, "console.log(1)")},
		"style.css":    {Data: []byte("body{}")},
	}
	h := FileServer(fsys)
	for _, tc := range []struct {
		name, path, accept  string
		status              int
		encoding, vary, typ string
	}{
		{"gzip accepted", "/js/app.js", "gzip, deflate, br", 200, "gzip", "Accept-Encoding", "text/javascript; charset=utf-8"},
		{"gzip refused by q=0", "/js/app.js", "gzip;q=0, br", 200, "", "Accept-Encoding", "text/javascript; charset=utf-8"},
		{"no Accept-Encoding", "/js/app.js", "", 200, "", "Accept-Encoding", "text/javascript; charset=utf-8"},
		{"any coding", "/js/app.js", "*", 200, "gzip", "Accept-Encoding", "text/javascript; charset=utf-8"},
		{"no gzip copy", "/style.css", "gzip", 200, "", "", "text/css; charset=utf-8"},
		{"missing file", "/nope.js", "gzip", 404, "", "", "text/plain; charset=utf-8"},
		{"climbing out stays inside", "/../js/app.js", "gzip", 200, "gzip", "Accept-Encoding", "text/javascript; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://x"+tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tc.status || res.Header.Get("Content-Encoding") != tc.encoding ||
				res.Header.Get("Vary") != tc.vary || res.Header.Get("Content-Type") != tc.typ {
				t.Fatalf("status %d, encoding %q, vary %q, type %q; want %d, %q, %q, %q", res.StatusCode,
					res.Header.Get("Content-Encoding"), res.Header.Get("Vary"), res.Header.Get("Content-Type"),
					tc.status, tc.encoding, tc.vary, tc.typ)
			}
			if tc.status != 200 {
				return
			}
			body := rec.Body.Bytes()
			if tc.encoding == "gzip" {
				r, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(r)
			}
			if want := map[bool]string{true: "body{}", false: "console.log(1)"}[tc.path == "/style.css"]; string(body) != want {
				t.Errorf("body %q, want %q", body, want)
			}
		})
	}
}
