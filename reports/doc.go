// Package reports writes phoihop's period summary report from figures the store computed: the
// Excel workbook (an encoder over io.Writer) and the narrative paragraph (Narrative), written in
// Vietnamese or English from the text/template files embedded from templates/.
// Nothing in here speaks HTTP; handlers only set the file name and headers.
package reports
