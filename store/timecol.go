package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// timeCol is a nullable timestamp read in UTC, whichever way the driver hands it over: a
// time.Time (PostgreSQL), or the text SQLite keeps (see DB.timeText). Its zero value is NULL.
type timeCol struct {
	valid bool
	t     time.Time
}

// Scan implements sql.Scanner.
func (c *timeCol) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case nil:
		*c = timeCol{}
		return nil
	case time.Time:
		c.t = v.UTC()
	case string:
		c.t, err = parseSQLiteTime(v)
	case []byte:
		c.t, err = parseSQLiteTime(string(v))
	default:
		err = fmt.Errorf("store: a %T is not a time", src)
	}
	c.valid = err == nil
	return err
}

// ptr is the time, or nil for NULL.
func (c timeCol) ptr() *time.Time {
	if !c.valid {
		return nil
	}
	t := c.t
	return &t
}

// parseSQLiteTime reads a timestamp as the SQLite driver writes it (its first
// SQLiteTimestampFormats, "2006-01-02 15:04:05.999999999-07:00") quickly, and any other of the
// driver's formats as the driver itself would, in UTC.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseStoredTime(s); ok {
		return t, nil
	}
	trimmed := strings.TrimSuffix(s, "Z")
	for _, layout := range sqlite3.SQLiteTimestampFormats {
		if t, err := time.ParseInLocation(layout, trimmed, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("store: unreadable time %q", s)
}

// parseStoredTime parses "YYYY-MM-DD hh:mm:ss[.fraction]±hh:mm" into UTC, without the general
// layout machinery of time.Parse: a course page reads tens of thousands of these. ok is false for
// anything else, including a field out of its range.
func parseStoredTime(s string) (t time.Time, ok bool) {
	if len(s) < len("2006-01-02 15:04:05+00:00") || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	if day > daysIn(year, month) {
		return time.Time{}, false
	}
	rest, nanos, ok := fraction(s[19:])
	if !ok {
		return time.Time{}, false
	}
	offset, ok := zoneOffset(rest)
	if !ok {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC)
	return t.Add(-offset), true
}

// daysIn is the number of days of month (1-12) of year, in the proleptic Gregorian calendar.
func daysIn(year, month int) int {
	switch {
	case month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0):
		return 29
	case month == 2:
		return 28
	case month == 4 || month == 6 || month == 9 || month == 11:
		return 30
	}
	return 31
}

// fraction reads an optional ".ddddddddd" (one to nine digits) as nanoseconds, and returns what
// follows it.
func fraction(s string) (rest string, nanos int, ok bool) {
	if s == "" || s[0] != '.' {
		return s, 0, true
	}
	i := 1
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, ok := digits(s[1:i])
	if !ok || i-1 > 9 {
		return s, 0, false
	}
	for range 10 - i {
		n *= 10
	}
	return s[i:], n, true
}

// zoneOffset reads "±hh:mm", the whole of s.
func zoneOffset(s string) (time.Duration, bool) {
	if len(s) != len("+00:00") || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[1:3])
	m, ok2 := digits(s[4:6])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d, true
}

// digits reads a non-empty string of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
