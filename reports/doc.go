// Package reports writes phoihop's period summary report from the figures the store computed
// (store.Summary), in Vietnamese or English:
//
//   - Narrative: the report's paragraph, from the text/template files embedded from templates/.
//   - WriteWorkbook: the Excel workbook (excelize). A summary sheet laid out as a Vietnamese
//     administrative report (Decree 30/2020/NĐ-CP: issuing body and national motto, the
//     place-and-date line, title, subject, period, the narrative, then numbered tables of the
//     figures), a by-year sheet with a native chart and, from a Details source such as
//     store.Export, the detail sheets streamed row by row with excelize's StreamWriter, so
//     memory stays flat however many rows there are. Codes are written as words of the
//     report's language (labels.go), numbers and dates as real numeric cells (in a
//     Vietnamese report their formats carry the Vietnamese locale, so that 3.973 and 9,8 show
//     as the paragraph writes them in any locale), and every text through one guard against
//     formula injection (cellText). The core properties part is phoihop's own
//     (workbook_props.go), prefixed as Excel writes it and dated at the time of writing.
//   - WriteIssuedDocx: the report as an agency issues it, a Word document (godocx, from the
//     template package in templates/docx) laid out as Decree 30/2020/NĐ-CP lays out an
//     administrative report: the heading block, title and subject, the paragraph, the tables
//     of the summary sheet's sections (one column of figures per period compared,
//     docx_tables.go), the shortcomings and next tasks, the recipients and the signature.
//
// Nothing in here speaks HTTP; handlers only set the file name and headers.
package reports
