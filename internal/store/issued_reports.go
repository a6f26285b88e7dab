package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// Issued reports: the summary report of a period kept as issued, with its number, date and
// signer, its figures and the workbook's bytes (migration 00011). They are aggregates, as the
// summary is: whoever reads reports reads them; issuing one is a leader's act (report:approve
// in the agency it covers, in "*" for every agency), checked by the handlers.

// IssuedContent is what an issued report keeps of the report as it was on issuing: its
// figures, its paragraph and the workbook's bytes.
type IssuedContent struct {
	Summary   *Summary
	Narrative string
	Workbook  []byte
}

// IssuedReportFilter chooses issued reports: Agency "" any (else the reports of that agency),
// newest first, Limit of them (at most 500; 0 is 100) from Offset.
type IssuedReportFilter struct {
	Agency        string
	Limit, Offset int
}

// uniqueIssuedNumber is the message of a number already given to a report of that year.
const uniqueIssuedNumber = "A report issued this year already has this number."

func init() {
	for _, k := range []string{"issued_reports_number_key", "issued_reports.issued_year, issued_reports.number"} {
		uniqueFields[k] = struct{ field, msg string }{"number", uniqueIssuedNumber}
	}
}

// issuedColumns are the columns of an issued report's description (not its figures nor its
// workbook), ir the table's alias, with the name of the account that issued it.
const issuedColumns = `ir.id, ir.number, ir.issued_on, ir.period_from, ir.period_to, COALESCE(ir.agency, '') AS agency,
	COALESCE(ir.agreement_id, 0) AS agreement_id, ir.lang, ir.signer_name, ir.signer_title, ir.shortcomings,
	ir.next_tasks, ir.recipients, ir.narrative, ir.workbook_sha256, ir.created_at, ir.created_by,
	COALESCE(u.username, '') AS created_by_name`

// IssueReport keeps the report r, issued by the actor, with its content: r's period, agency
// and plan must be those of content.Summary. Its fields are normalized and checked
// (EInvalid), its number must be new in its year (EConflict on "number"). The report and its
// audit entry (report.issue) are written in one transaction; r gets its ID, the workbook's
// hash and who and when.
func (s *Store) IssueReport(ctx context.Context, a phoihop.Actor, r *phoihop.IssuedReport, content IssuedContent) error {
	v := *r
	v.Normalize()
	if err := v.Validate(s.today()); err != nil {
		return err
	}
	sum := content.Summary
	if sum == nil || len(content.Workbook) == 0 {
		return fmt.Errorf("store: issue report: no figures or no workbook")
	}
	agency := ""
	if len(sum.Agencies) == 1 {
		agency = sum.Agencies[0]
	}
	if sum.From != v.From || sum.To != v.To || agency != v.Agency || sum.AgreementID != v.AgreementID || len(sum.Agencies) > 1 {
		return fmt.Errorf("store: issue report: the figures are of another report")
	}
	figures, err := json.Marshal(sum)
	if err != nil {
		return fmt.Errorf("store: issue report: figures: %w", err)
	}
	hash := sha256.Sum256(content.Workbook)
	v.Narrative, v.WorkbookSHA256 = content.Narrative, hex.EncodeToString(hash[:])
	v.CreatedAt, v.CreatedBy, v.CreatedByName = s.now(), a.UserID, a.Username
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO issued_reports (number, issued_on, issued_year,
			period_from, period_to, agency, agreement_id, lang, signer_name, signer_title, shortcomings, next_tasks,
			recipients, narrative, figures, workbook, workbook_sha256, created_at, created_by)
			VALUES (`+placeholders(19)+`) RETURNING id`),
			v.Number, v.IssuedOn, v.IssuedOn.Year, v.From, v.To, orNull(v.Agency), orNull(v.AgreementID), v.Lang,
			v.SignerName, v.SignerTitle, v.Shortcomings, v.NextTasks, v.Recipients, v.Narrative, string(figures),
			content.Workbook, v.WorkbookSHA256, v.CreatedAt, v.CreatedBy).Scan(&v.ID)
		if err != nil {
			return fmt.Errorf("store: issue report: %w", err)
		}
		details := map[string]any{"number": v.Number, "issued_on": v.IssuedOn, "from": v.From, "to": v.To,
			"agency": v.Agency, "agreement": v.AgreementID, "lang": v.Lang, "signer_name": v.SignerName,
			"signer_title": v.SignerTitle, "workbook_sha256": v.WorkbookSHA256}
		return s.audit(ctx, tx, a, "report.issue", "issued_report", v.ID, v.Agency, nil, details)
	})
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// IssuedReports lists the issued reports f chooses, newest first (by day of issuing, then
// by id), and how many f chooses in all.
func (s *Store) IssuedReports(ctx context.Context, f IssuedReportFilter) ([]phoihop.IssuedReport, int, error) {
	where, args := "1 = 1", []any{}
	if f.Agency != "" {
		where, args = "ir.agency = ?", append(args, f.Agency)
	}
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT COUNT(*) FROM issued_reports ir WHERE `+where), args...); err != nil {
		return nil, 0, fmt.Errorf("store: issued reports: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	var out []phoihop.IssuedReport
	err := s.db.SelectContext(ctx, &out, s.db.Rebind(`SELECT `+issuedColumns+` FROM issued_reports ir
		LEFT JOIN users u ON u.id = ir.created_by WHERE `+where+`
		ORDER BY ir.issued_on DESC, ir.id DESC LIMIT ? OFFSET ?`), append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: issued reports: %w", err)
	}
	return out, total, nil
}

// IssuedReport returns the issued report id with its figures as issued; ENotFound when there
// is none.
func (s *Store) IssuedReport(ctx context.Context, id int64) (*phoihop.IssuedReport, *Summary, error) {
	var row struct {
		phoihop.IssuedReport
		Figures string `db:"figures"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind(`SELECT `+issuedColumns+`, ir.figures FROM issued_reports ir
		LEFT JOIN users u ON u.id = ir.created_by WHERE ir.id = ?`), id)
	if err != nil {
		return nil, nil, mapError(fmt.Errorf("store: issued report: %w", err))
	}
	var sum Summary
	if err := json.Unmarshal([]byte(row.Figures), &sum); err != nil {
		return nil, nil, fmt.Errorf("store: issued report %d: figures: %w", id, err)
	}
	return &row.IssuedReport, &sum, nil
}

// IssuedWorkbook returns the bytes of the workbook kept with the issued report id, exactly as
// they were written on issuing, with the report; ENotFound when there is none.
func (s *Store) IssuedWorkbook(ctx context.Context, id int64) (*phoihop.IssuedReport, []byte, error) {
	var row struct {
		phoihop.IssuedReport
		Workbook []byte `db:"workbook"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind(`SELECT `+issuedColumns+`, ir.workbook FROM issued_reports ir
		LEFT JOIN users u ON u.id = ir.created_by WHERE ir.id = ?`), id)
	if err != nil {
		return nil, nil, mapError(fmt.Errorf("store: issued report workbook: %w", err))
	}
	if sum := sha256.Sum256(row.Workbook); hex.EncodeToString(sum[:]) != row.WorkbookSHA256 {
		return nil, nil, fmt.Errorf("store: issued report %d: the workbook does not match its hash", id)
	}
	return &row.IssuedReport, row.Workbook, nil
}

// IssuedFilter is the summary filter of the issued report's period, agency and plan.
func IssuedFilter(r *phoihop.IssuedReport) SummaryFilter {
	f := SummaryFilter{From: r.From, To: r.To, AgreementID: r.AgreementID}
	if r.Agency != "" {
		f.Agencies = []string{r.Agency}
	}
	return f
}

// orNull is v, or NULL for its zero value: an optional reference.
func orNull[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}
