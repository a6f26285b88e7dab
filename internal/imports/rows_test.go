package imports

import (
	"io"
	"strings"
	"testing"
)

func TestSeekElement(t *testing.T) {
	const chunk = 64 << 10
	for _, tc := range []struct {
		name, before, tag string
		found             bool
	}{
		{"plain", "<sheetData/>", "<mergeCells count=\"1\">", true},
		{"prefixed", "<x:sheetData/>", "<x:mergeCells>", true},
		{"in text is no tag", "<c><is><t>x:mergeCells mergeCells</t></is></c>", "", false},
		{"a longer name is another element", "", "<mergeCellsExt>", false},
		{"none", "<sheetData/>", "", false},
	} {
		// Place the tag across each position around the first chunk's end.
		for shift := -30; shift <= 30; shift += 3 {
			pad := strings.Repeat(" ", max(0, chunk+shift-len(tc.before)))
			doc := tc.before + pad + tc.tag + "<mergeCell ref=\"A1:B2\"/></mergeCells>"
			if tc.tag == "" {
				doc = tc.before + pad
			}
			r, found, err := seekElement(strings.NewReader(doc), "mergeCells")
			if err != nil || found != tc.found {
				t.Fatalf("%s, shift %d: found %v, %v; want %v", tc.name, shift, found, err, tc.found)
			}
			if !found {
				continue
			}
			rest, _ := io.ReadAll(r)
			if !strings.HasPrefix(string(rest), tc.tag) {
				t.Fatalf("%s, shift %d: the rest begins %.30q, want %q", tc.name, shift, rest, tc.tag)
			}
		}
	}
}
