// Package sheetfile reads what every file a person makes in a spreadsheet
// has in common, for the importers of device lists (internal/transfer) and
// firmware catalogs (internal/firmware): which delimiter a CSV file uses, and
// how to name it in a message.
package sheetfile

import (
	"bytes"
	"strings"
)

// SniffDelimiter finds the delimiter: the one an Excel "sep=X" first line
// names (that line is then blanked, so line numbers stay those of the
// file), else whichever of comma, semicolon and tab the header line has
// most of outside quotes; comma on a tie.
func SniffDelimiter(data []byte) (rune, []byte) {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if f := strings.TrimSpace(string(first)); len(f) == 5 && strings.EqualFold(f[:4], "sep=") && strings.ContainsRune(",;\t|", rune(f[4])) {
		return rune(f[4]), append([]byte("\n"), rest...)
	}
	header := data
	for len(header) > 0 {
		line, after, _ := bytes.Cut(header, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			header = line
			break
		}
		header = after
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range header {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best), data
}

// DelimiterName names a delimiter in a message: "comma", "semicolon"...
func DelimiterName(comma rune) string {
	switch comma {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "bar (|)"
	}
	return "comma"
}
