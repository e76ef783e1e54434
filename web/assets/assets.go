// Package assets serves the pages' static files (web/static): the stylesheets, the bundled
// scripts of web/frontend and KaTeX's fonts. A script or stylesheet is sent from its gzip copy
// (name.gz, written by web/frontend's build) to a browser that accepts gzip, so that a page's
// first load stays small without compressing on every request; everything else is served as
// http.FileServerFS serves it.
package assets

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// FileServer serves the files of fsys, preferring a precompressed name.gz when the request
// accepts gzip. It sets Vary: Accept-Encoding on every file that has such a copy.
func FileServer(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		gz, err := fsys.Open(name + ".gz")
		if err != nil {
			files.ServeHTTP(w, r)
			return
		}
		defer gz.Close()
		w.Header().Add("Vary", "Accept-Encoding")
		rs, ok := gz.(io.ReadSeeker)
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || !ok {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		http.ServeContent(w, r, name, modTime(gz), rs)
	})
}

func modTime(f fs.File) time.Time {
	if info, err := f.Stat(); err == nil {
		return info.ModTime()
	}
	return time.Time{}
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
