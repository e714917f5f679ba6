// Package sheetfile reads what every file a person makes in a spreadsheet
// has in common, for the importers of device lists (internal/transfer) and
// firmware catalogs (internal/firmware): which delimiter a CSV file uses, and
// how to name it in a message, and how a problem in it is told.
package sheetfile

import (
	"bytes"
	"fmt"
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

// Problem is something wrong in a file a person made: a device list, a
// firmware catalog.
type Problem struct {
	// Line is the line of the file the problem is on (the header of a CSV
	// file is line 1; a row that spans lines is reported at its first, a
	// JSON entry at its opening brace), or 0 when the problem is with the
	// whole file.
	Line int
	// Message says what is wrong and what to do, without the line number.
	Message string
}

// String is the problem as a person reads it: "line 7: ..." or, for the
// whole file, the message alone.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Message
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Message)
}
