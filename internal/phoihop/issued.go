package phoihop

import (
	"regexp"
	"strings"
	"time"
)

// IssuedReport is a summary report issued ("ban hành") as a numbered document: the report of
// a period, under its number and date, signed by a leader, kept with the figures and the
// workbook as they were on issuing (DESIGN.md "ban hành báo cáo"). An issued report never
// changes: the figures of its period may, and its page says by how much.
type IssuedReport struct {
	ID int64 `db:"id" json:"id"`
	// Number is the number and symbol of the document, "12/BC-BCĐ133": unique within the
	// year of issuing.
	Number   string `db:"number" json:"number"`
	IssuedOn Date   `db:"issued_on" json:"issued_on"`
	// From and To bound the period the report covers; Agency is the agency it covers, ""
	// every agency; AgreementID the coordination plan it is restricted to, 0 none.
	From        Date   `db:"period_from" json:"from"`
	To          Date   `db:"period_to" json:"to"`
	Agency      string `db:"agency" json:"agency"`
	AgreementID int64  `db:"agreement_id" json:"agreement_id,omitempty"`
	Lang        string `db:"lang" json:"lang"`
	SignerName  string `db:"signer_name" json:"signer_name"`
	SignerTitle string `db:"signer_title" json:"signer_title"`
	// Shortcomings ("Tồn tại, hạn chế") and NextTasks ("Phương hướng, nhiệm vụ") are the
	// sections the leader writes besides the figures; Recipients the "Nơi nhận" lines.
	Shortcomings string `db:"shortcomings" json:"shortcomings"`
	NextTasks    string `db:"next_tasks" json:"next_tasks"`
	Recipients   string `db:"recipients" json:"recipients"`
	// Narrative is the paragraph of the report as issued.
	Narrative string `db:"narrative" json:"narrative"`
	// WorkbookSHA256 is the hex SHA-256 of the workbook kept with the report.
	WorkbookSHA256 string    `db:"workbook_sha256" json:"workbook_sha256"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	CreatedBy      *int64    `db:"created_by" json:"-"`
	CreatedByName  string    `db:"created_by_name" json:"issued_by"`
}

// issuedNumber is the form of a document's number and symbol: a number, a slash, and a
// symbol of capital letters (Đ included), digits and hyphens: "12/BC-BCĐ133".
var issuedNumber = regexp.MustCompile(`^[0-9]{1,6}/[\p{Lu}0-9]+(-[\p{Lu}0-9]+)*$`)

// Normalize trims the report's text fields, upper-cases its agency and symbol, and removes the
// spaces officers type around the slash and the hyphens ("12 / bc - bcđ133" is "12/BC-BCĐ133").
func (r *IssuedReport) Normalize() {
	trimAll(&r.Number, &r.Agency, &r.Lang, &r.SignerName, &r.SignerTitle, &r.Shortcomings, &r.NextTasks, &r.Recipients)
	number := strings.Join(strings.Fields(r.Number), " ")
	for _, sep := range []string{"/", "-"} {
		number = strings.ReplaceAll(strings.ReplaceAll(number, " "+sep, sep), sep+" ", sep)
	}
	r.Number = strings.ToUpper(number)
	r.Agency = strings.ToUpper(r.Agency)
	r.Lang = strings.ToLower(r.Lang)
	if r.Lang == "" {
		r.Lang = "vi"
	}
}

// Validate checks the report's own fields: today bounds the day of issuing, which may not
// come before the period's first day either. The period itself is checked by the summary.
func (r *IssuedReport) Validate(today Date) error {
	f := FieldErrors{}
	switch {
	case r.Number == "":
		f.Add("number", "Enter the number and symbol of the report, for example 12/BC-BCĐ133.")
	case len([]rune(r.Number)) > 64 || !issuedNumber.MatchString(r.Number):
		f.Add("number", "Write the number and symbol as number/symbol, for example 12/BC-BCĐ133.")
	}
	checkDate(f, "issued_on", r.IssuedOn, today, true)
	if !r.IssuedOn.IsZero() && !r.From.IsZero() && r.IssuedOn.Before(r.From) {
		f.Add("issued_on", "A report cannot be issued before the first day of its period.")
	}
	checkChoice(f, "lang", r.Lang, []string{"vi", "en"})
	validLine(f, "signer_name", r.SignerName, 1, 200)
	validLine(f, "signer_title", r.SignerTitle, 1, 200)
	validText(f, "shortcomings", r.Shortcomings, 0, 20000)
	validText(f, "next_tasks", r.NextTasks, 0, 20000)
	validText(f, "recipients", r.Recipients, 0, 2000)
	return f.Err()
}
