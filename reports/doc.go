// Package reports writes phoihop's period summary report from the figures the store computed
// (store.Summary): today the narrative paragraph (Narrative), in Vietnamese or English, from
// the text/template files embedded from templates/. Nothing in here speaks HTTP; handlers only
// set the file name and headers.
package reports
