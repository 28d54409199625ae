// The Go rig's server (tests/e2e/stacks/go.rs fills its markers): net/http only.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strings"
)

@@top@@

func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	@@json@@
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func items(w http.ResponseWriter, r *http.Request) {
	@@handler@@
	writeJSON(w, r, map[string]any{"items": []any{}})
}

// The app's work on a POST: it fails with a panic nothing in the handler recovers.
func work(body map[string]any) map[string]any {
	panic("cannot work on the body")
}

func fail(w http.ResponseWriter, r *http.Request) {
	@@handler@@
	if r.Method == http.MethodPost {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, r, work(body))
		return
	}
	writeJSON(w, r, map[string]any{"ok": true})
}

// requireBearer answers 401 to any /api/ request without the token.
func requireBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") && r.Header.Get("Authorization") != "Bearer token" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/items", items)
	mux.HandleFunc("/api/fail", fail)
	var handler http.Handler = mux
	@@cors@@
	@@auth@@
	@@entry@@
	log.Fatal(http.ListenAndServe("127.0.0.1:@@port@@", handler))
}
