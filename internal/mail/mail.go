// Package mail sends the few messages gradjudge sends by email (set-password links) through an
// SMTP server, when one is configured. Without one nothing is sent: instructors hand the links out.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"gradjudge"
)

// sendTimeout bounds one message: connecting, the SMTP conversation and the data.
const sendTimeout = 20 * time.Second

// Config names the SMTP server and the site. Addr, From and PublicURL are required.
type Config struct {
	Addr      string // host:port of the SMTP server (STARTTLS is used when it offers it)
	From      string // the sender address
	Username  string // empty: no authentication
	Password  string
	PublicURL string // the site's address as students reach it, e.g. https://judge.example.edu
}

// Mailer sends set-password links. It implements app.Mailer.
type Mailer struct {
	c    Config
	base *url.URL
}

// New returns a Mailer for c; an error when a required field is missing or PublicURL is not an
// absolute http(s) URL.
func New(c Config) (*Mailer, error) {
	if c.Addr == "" || c.From == "" || c.PublicURL == "" {
		return nil, errors.New("mail: the SMTP address, the sender and the public URL are required")
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mail: the public URL %q is not an absolute http(s) address", c.PublicURL)
	}
	if strings.ContainsAny(c.From, "\r\n") {
		return nil, errors.New("mail: the sender address has a line break")
	}
	return &Mailer{c: c, base: u}, nil
}

// SendSetPasswordLink mails u the link made of secret, for course.
func (m *Mailer) SendSetPasswordLink(ctx context.Context, u gradjudge.User, course gradjudge.Course, secret string) error {
	link := m.base.JoinPath("/set-password").String() + "?token=" + url.QueryEscape(secret)
	body := fmt.Sprintf("Hello %s,\r\n\r\nyou are enrolled in %q. Choose your password with this link (it works once, for 7 days):\r\n\r\n%s\r\n",
		oneLine(u.Name), oneLine(course.Title), link)
	msg := "From: " + m.c.From + "\r\nTo: " + u.Email + "\r\nSubject: Your account for " + oneLine(course.Title) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
	return m.send(ctx, u.Email, []byte(msg))
}

// send runs one SMTP conversation under ctx and sendTimeout.
func (m *Mailer) send(ctx context.Context, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.c.Addr)
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", m.c.Addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(m.c.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(nil); err != nil {
			return fmt.Errorf("mail: starttls: %w", err)
		}
	}
	if m.c.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.c.Username, m.c.Password, host)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	return writeMessage(c, m.c.From, to, msg)
}

func writeMessage(c *smtp.Client, from, to string, msg []byte) error {
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail: data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: data: %w", err)
	}
	return c.Quit()
}

// oneLine keeps a header or greeting on one line.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
