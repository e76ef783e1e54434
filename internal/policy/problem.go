package policy

import "strings"

// Field names one setting of a Policy, the same in every door: the API's JSON and the settings
// page's form speak of their own names, and map them to these.
type Field string

// The settings a Problem can name.
const (
	FieldOpens             Field = "opens"
	FieldDue               Field = "due"
	FieldLate              Field = "late"
	FieldLatePenalty       Field = "late_penalty"
	FieldClose             Field = "close"
	FieldMaxAttempts       Field = "max_attempts"
	FieldPenaltyPerWrong   Field = "penalty_per_wrong"
	FieldFreshVariantAfter Field = "fresh_variant_after"
	FieldHintsAfter        Field = "hints_after"
	FieldReveal            Field = "reveal"
	FieldGrade             Field = "grade"
)

// Problem is one reason a Policy does not validate: the setting to change and what to change.
type Problem struct {
	Field   Field
	Message string // a lower-case phrase without a final period, safe to show
}

// Problems are the reasons a Policy does not validate, in the order Validate finds them. Its
// Error joins the messages with "; ".
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}
