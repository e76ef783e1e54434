package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
)

// Result framing. The student's code and the harness share stdout, so the harness marks each of
// its results with a nonce it reads from the first line of stdin. The nonce is fresh for every
// run and comes from crypto/rand; the student's code cannot guess it, and cannot read it because
// Vet rejects the only allowed functions that read stdin (fmt.Scan, Scanf, Scanln) and os is not
// importable. A frame is one write of
//
//	"\n" + nonce + " " + payload + "\n"
//
// where payload is a single line (json.Marshal output qualifies). The leading newline starts the
// frame on a line of its own even after a student print without one; a single write is never
// interleaved with another goroutine's print. Whatever is not a frame is the student's output.

// NonceBytes is the number of random bytes in a nonce; the nonce is their hex encoding.
const NonceBytes = 16

// HarnessFrameSource is Go source for a generated harness (package main, importing bufio, fmt
// and os): readNonce reads the nonce line that starts stdin, and writeFrame writes one result
// frame. A harness calls readNonce before anything else reads stdin.
const HarnessFrameSource = `
// readNonce reads the first line of stdin: the judge's nonce for this run.
func readNonce(in *bufio.Reader) string {
	line, err := in.ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness: no nonce on stdin")
		os.Exit(3)
	}
	return line[:len(line)-1]
}

// writeFrame writes one result frame; payload must not contain a newline.
func writeFrame(nonce string, payload []byte) {
	os.Stdout.Write([]byte("\n" + nonce + " " + string(payload) + "\n"))
}
`

// NewNonce returns a fresh random nonce, NonceBytes bytes hex-encoded.
func NewNonce() string {
	b := make([]byte, NonceBytes)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b)
}

// FrameStdin returns the stdin of a run: the nonce on the first line, then input.
func FrameStdin(nonce string, input []byte) []byte {
	return append([]byte(nonce+"\n"), input...)
}

// Frame returns payload framed as the harness writes it. The judge does not need it; tests and
// Go harness templates do.
func Frame(nonce string, payload []byte) []byte {
	return append(append([]byte("\n"+nonce+" "), payload...), '\n')
}

// ParseFrames splits a run's stdout into the payloads of complete frames, in order, and the
// student's own output with the frames cut out. A frame cut short by the output limit is
// dropped. An empty nonce finds no frames.
func ParseFrames(stdout []byte, nonce string) (payloads [][]byte, student []byte) {
	if nonce == "" {
		return nil, stdout
	}
	start := []byte("\n" + nonce + " ")
	for {
		i := bytes.Index(stdout, start)
		if i < 0 {
			return payloads, append(student, stdout...)
		}
		end := bytes.IndexByte(stdout[i+len(start):], '\n')
		if end < 0 {
			return payloads, append(student, stdout[:i]...)
		}
		student = append(student, stdout[:i]...)
		payloads = append(payloads, stdout[i+len(start):i+len(start)+end])
		stdout = stdout[i+len(start)+end+1:]
	}
}
