package main

import (
	"flag"

	"gradjudge/internal/app"
	"gradjudge/internal/mail"
)

// smtpConfig is where set-password links are mailed from. Empty SMTPAddr: nothing is mailed and
// instructors hand the links out from the enrolment page.
type smtpConfig struct {
	SMTPAddr     string // host:port
	SMTPFrom     string
	SMTPUser     string
	SMTPPassword string
}

func smtpFlags(fs *flag.FlagSet, c *smtpConfig) {
	fs.StringVar(&c.SMTPAddr, "smtp-addr", c.SMTPAddr, "host:port of an SMTP server to mail set-password links through (empty: nothing is mailed; instructors hand the links out)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, "sender address of mailed set-password links")
	fs.StringVar(&c.SMTPUser, "smtp-user", c.SMTPUser, "SMTP user name (empty: no authentication)")
	fs.StringVar(&c.SMTPPassword, "smtp-password", c.SMTPPassword, "SMTP password (preferably from the environment, which the process list does not show)")
}

// mailer is the configured Mailer, whose links start with publicURL (--public-url, which mailing
// requires), or nil when no SMTP server is configured.
func (c smtpConfig) mailer(publicURL string) (app.Mailer, error) {
	if c.SMTPAddr == "" {
		return nil, nil
	}
	return mail.New(mail.Config{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUser, Password: c.SMTPPassword, PublicURL: publicURL})
}
