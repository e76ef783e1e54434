package mail

import (
	"net"
	"net/textproto"
	"strings"
	"testing"

	"gradjudge"
)

// fakeSMTP accepts one message and returns it on the channel.
func fakeSMTP(t *testing.T) (string, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		tp := textproto.NewConn(conn)
		tp.PrintfLine("220 fake")
		var data strings.Builder
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
			case "EHLO", "HELO", "MAIL", "RCPT":
				data.WriteString(line + "\n")
				tp.PrintfLine("250 ok")
			case "DATA":
				tp.PrintfLine("354 go on")
				b, _ := tp.ReadDotBytes()
				data.Write(b)
				tp.PrintfLine("250 stored")
			case "QUIT":
				tp.PrintfLine("221 bye")
				got <- data.String()
				return
			default:
				tp.PrintfLine("502 no")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSendSetPasswordLink(t *testing.T) {
	addr, got := fakeSMTP(t)
	m, err := New(Config{Addr: addr, From: "judge@example.edu", PublicURL: "https://judge.example.edu/"})
	if err != nil {
		t.Fatal(err)
	}
	u := gradjudge.User{Email: "cara@example.edu", Name: "Cara"}
	if err := m.SendSetPasswordLink(t.Context(), u, gradjudge.Course{Title: "Backprop\r\nBcc: evil@x.org"}, "s3cret"); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"MAIL FROM:<judge@example.edu>", "RCPT TO:<cara@example.edu>", "https://judge.example.edu/set-password?token=s3cret", "Subject: Your account for Backprop  Bcc: evil@x.org"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "\nBcc:") {
		t.Error("a course title injected a header")
	}
}

func TestNewRefusesIncompleteConfig(t *testing.T) {
	for _, c := range []Config{{}, {Addr: "x:25", From: "a@b"}, {Addr: "x:25", From: "a@b", PublicURL: "judge.example.edu"}, {Addr: "x:25", From: "a@b\r\nBcc: c", PublicURL: "https://x"}} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
}
