package gradebook

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"gradjudge/internal/app"
)

// WriteMisconceptionsCSV writes one row per student × misconception (app.MisconceptionRows): the
// student's id, email and name, the tag and its catalog title, when it was first and last seen
// (RFC 3339, UTC) and how many submissions showed it. Cells a spreadsheet would run are defused.
// It returns the first write error.
func WriteMisconceptionsCSV(w io.Writer, rows []app.MisconceptionRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"user_id", "email", "name", "tag", "misconception", "first_seen", "last_seen", "count"})
	for _, r := range rows {
		cw.Write([]string{strconv.FormatInt(r.Student.UserID, 10), csvSafe(r.Student.Email), csvSafe(r.Student.Name),
			csvSafe(r.Misconception.Tag), csvSafe(r.Misconception.Title), r.First.UTC().Format(time.RFC3339),
			r.Last.UTC().Format(time.RFC3339), strconv.Itoa(r.Count)})
	}
	cw.Flush()
	return cw.Error()
}
