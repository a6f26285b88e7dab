// Package reports writes phoihop's period summary report: encoders over io.Writer (the Excel
// workbook, the narrative paragraph from its templates) that take figures the store computed.
// Nothing in here speaks HTTP; handlers only set the file name and headers.
package reports
