package imports

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"

	"phoihop/internal/phoihop"
)

// Limits bound what an uploaded workbook may cost to read. A zero field takes its default.
type Limits struct {
	// MaxBytes is the largest file accepted (default 20 MiB).
	MaxBytes int64
	// MaxUncompressed bounds the sizes the zip declares for its entries, summed (default
	// 200 MiB).
	MaxUncompressed int64
	// MaxRatio bounds how many times larger than its compressed form an entry of more than
	// 1 MiB may declare itself (default 100): workbooks compress 5 to 30 times, zip bombs
	// thousands of times.
	MaxRatio int64
}

// Default limits.
const (
	DefaultMaxBytes        = 20 << 20
	DefaultMaxUncompressed = 200 << 20
	DefaultMaxRatio        = 100
	// ratioFloor is the size under which an entry's ratio is not checked: small parts
	// (styles, an empty sheet) compress very well and cost nothing.
	ratioFloor = 1 << 20
)

// Max returns the largest file accepted, in bytes.
func (l Limits) Max() int64 { return l.withDefaults().MaxBytes }

// TooLarge returns the refusal (EInvalid) of a file over the size limit, which names the limit.
func (l Limits) TooLarge() *phoihop.Error {
	mb := (l.Max() + 1<<20 - 1) >> 20
	return &phoihop.Error{
		Code:      phoihop.EInvalid,
		Message:   "The file is larger than the limit of " + strconv.FormatInt(mb, 10) + " MB.",
		MessageID: MsgTooLargeID,
		Args:      []any{"MB", mb},
	}
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxUncompressed <= 0 {
		l.MaxUncompressed = DefaultMaxUncompressed
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	return l
}

// Messages of the refused files, translated in web/locales/imports.vi.json.
const (
	// MsgTooLargeID is the catalog id of the message of a file over the size limit; its
	// argument MB is the limit in megabytes.
	MsgTooLargeID  = "imports.too_large"
	msgNotXLSX     = "This file is not an Excel workbook (.xlsx) or it is damaged. Open it in Excel and save it as an Excel Workbook (.xlsx)."
	msgOldXLS      = "This file is an old Excel 97-2003 workbook (.xls). Open it in Excel and save it as an Excel Workbook (.xlsx)."
	msgProtected   = "This workbook is protected by a password. Open it in Excel, remove the password and save it again."
	msgBomb        = "This file unpacks to far more data than a workbook holds; it cannot be read."
	msgNotWorkbook = "This file is a zip archive but not an Excel workbook (.xlsx)."
	msgNoSheet     = "The workbook has no sheet of that name."
)

var (
	oleMagic       = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic       = []byte("PK\x03\x04")
	encryptionInfo = utf16LE("EncryptionInfo")
)

func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

func invalid(msg string) error { return &phoihop.Error{Code: phoihop.EInvalid, Message: msg} }

// Workbook is an uploaded workbook that passed Open's checks. Close it when done.
type Workbook struct {
	zip      *zip.Reader
	names    []string          // the sheets' names in the workbook's order
	sheets   map[string]string // sheet name → worksheet part in the zip
	strings  []string          // the shared strings
	date1904 bool
}

// Open checks an uploaded file of size bytes and opens it as a workbook. Each refusal is an
// EInvalid *phoihop.Error saying what is wrong in words an officer can act on: over the size
// limit (saying the limit), an old .xls, a password-protected workbook, not an .xlsx or
// damaged, a zip bomb (checked on the sizes the zip declares, before anything is unpacked;
// archive/zip refuses entries larger than they declared while reading), a zip that is no
// workbook.
func Open(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	lim = lim.withDefaults()
	if size > lim.MaxBytes {
		return nil, lim.TooLarge()
	}
	head := make([]byte, 8)
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, invalid(msgNotXLSX)
	}
	if bytes.Equal(head, oleMagic) {
		return nil, oleError(r, size)
	}
	if !bytes.HasPrefix(head, zipMagic) {
		return nil, invalid(msgNotXLSX)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, invalid(msgNotXLSX)
	}
	if err := checkZip(zr, lim); err != nil {
		return nil, err
	}
	// The parts are read as streams from the zip, never unpacked whole: memory stays bounded
	// whatever the number of rows (only the shared strings are held).
	w := &Workbook{zip: zr}
	if err := w.load(); err != nil {
		return nil, err
	}
	return w, nil
}

// oleError tells a password-protected workbook (an OLE compound file holding an
// "EncryptionInfo" stream, ECMA-376 encryption) from an old .xls.
func oleError(r io.ReaderAt, size int64) error {
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return invalid(msgNotXLSX)
	}
	if bytes.Contains(data, encryptionInfo) {
		return invalid(msgProtected)
	}
	return invalid(msgOldXLS)
}

// checkZip refuses a zip bomb on the sizes the zip declares, and a zip without a workbook.
func checkZip(zr *zip.Reader, lim Limits) error {
	var total uint64
	workbook := false
	for _, e := range zr.File {
		total += e.UncompressedSize64
		if total > uint64(lim.MaxUncompressed) {
			return invalid(msgBomb)
		}
		if e.UncompressedSize64 > ratioFloor &&
			e.UncompressedSize64 > uint64(lim.MaxRatio)*max(e.CompressedSize64, 1) {
			return invalid(msgBomb)
		}
		if e.Name == "xl/workbook.xml" {
			workbook = true
		}
	}
	if !workbook {
		return invalid(msgNotWorkbook)
	}
	return nil
}

// SheetNames returns the names of the workbook's sheets in their order.
func (w *Workbook) SheetNames() []string { return slices.Clone(w.names) }

// Close releases the workbook: it holds nothing but memory, so Close only marks the end of its use.
func (w *Workbook) Close() error { return nil }
