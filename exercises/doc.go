// Package exercises is gradjudge's exercise catalog: one Markdown file per exercise with a TOML
// front matter (embedded in the binary), the misconception catalog, the loader that checks both,
// and the variant generator that derives each student's numbers from a seed.
//
// A variant is deterministic (the same seed gives the same numbers on every machine), kink-free
// (no relu, abs, max or min argument near its kink) and discriminating (the right answers differ,
// beyond tolerance, from the answers every applicable bug rule predicts). Grading lives in judge/.
package exercises
