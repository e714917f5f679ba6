// Package transfer moves the inventory in and out of files: CSV for
// spreadsheets (import and export), JSON for a complete, exact copy (export
// and restore), and DeviceView, the flat shape of a device that
// `sitekeeper devices --json` prints. The command line and the GUI share it,
// so a file that one accepts the other accepts too.
//
// Import checks the whole file before it writes anything. Every problem it
// finds is reported with the line of the file it is on and what to do about
// it, in words a facility manager can act on; a file with bad rows imports
// nothing unless the caller asks to skip the bad rows (Options.SkipBad).
package transfer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/sheetfile"
)

// Limits on what Import reads. A device list of 10,000 rows is about 3 MiB,
// so these only stop files that are not device lists at all (a database,
// a video) before they fill the memory.
const (
	// MaxFileSize is the largest file Import reads.
	MaxFileSize = 64 << 20
	// MaxLineLength is the longest line Import accepts.
	MaxLineLength = 1 << 20
)

// Options change how Import works.
type Options struct {
	// SkipBad imports the good rows of a file and lists the bad ones in
	// Summary.Skipped, instead of importing nothing.
	SkipBad bool
	// Progress, if not nil, is called as devices are written, with the
	// number written so far and the total. It is called from the
	// goroutine that called Import, inside the store's transaction, so it
	// must return quickly.
	Progress func(done, total int)
}

// Problem is something wrong in an import file (sheetfile.Problem).
type Problem = sheetfile.Problem

// Summary is what an import did.
type Summary struct {
	// Imported is the number of devices added to the inventory.
	Imported int
	// Skipped lists the rows that were left out (only with Options.SkipBad).
	Skipped []Problem
	// Warnings are things worth knowing that did not stop a row, such as
	// columns that were ignored.
	Warnings []string
}

// ImportError is returned when nothing was imported because the file, or
// rows in it, were bad. It lists every problem found, in file order.
type ImportError struct {
	Problems []Problem
}

// maxListed is how many problems Error lists before it says "and N more".
const maxListed = 20

// Error is a readable summary: what happened, the problems one per line, and
// what to do next.
func (e *ImportError) Error() string {
	var b strings.Builder
	b.WriteString("nothing was imported: ")
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "the file has %d problems", len(e.Problems))
	rows := 0
	for _, p := range e.Problems {
		if p.Line > 0 {
			rows++
		}
	}
	if rows == len(e.Problems) {
		b.WriteString("; correct them and import again, or import again skipping the bad rows")
	}
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Problems)-maxListed)
			break
		}
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}

// fileError is an ImportError about the whole file.
func fileError(format string, args ...any) *ImportError {
	return &ImportError{Problems: []Problem{{Message: fmt.Sprintf(format, args...)}}}
}

// Import reads a CSV device list or a JSON export of an inventory from r and
// adds what it holds to st.
//
// name is the file's name; it is only used to tell JSON from CSV. A file is
// read as a JSON export when its name ends in .json or its first character
// is '{'; anything else is read as CSV.
//
// CSV (columns.go lists the columns): each row becomes a new device, all of
// them added with one st.Import, so in one transaction. A row for a device
// the inventory or the file already has (same MAC address, or same
// manufacturer and serial number) is a bad row: Import only adds devices.
//
// JSON (see ExportJSON): the devices are restored exactly, IDs and
// histories included, with one st.Restore; then the file's settings replace
// the inventory's and its sites replace those of the same name. A device
// whose ID the inventory already has is a bad record.
//
// Import checks the whole file before it writes anything. When the file or
// any row in it is bad, it writes nothing and returns an *ImportError
// listing every problem. With opt.SkipBad it imports the good rows and lists
// the bad ones in Summary.Skipped; if no row was good it still returns an
// *ImportError. Other errors (the store is locked, ctx was cancelled) are
// returned wrapped.
func Import(ctx context.Context, st inventory.Store, r io.Reader, name string, opt Options) (Summary, error) {
	data, err := readInput(r)
	if err != nil {
		return Summary{}, err
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if strings.EqualFold(filepath.Ext(name), ".json") || (len(trimmed) > 0 && trimmed[0] == '{') {
		return importJSON(ctx, st, data, opt)
	}
	return importCSV(ctx, st, data, opt)
}

// readInput reads the whole file, within MaxFileSize, checks that it is
// UTF-8 text with lines within MaxLineLength, and drops a byte order mark.
func readInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fileError("the file is larger than %d MiB, which is far more than a device list needs; check that you chose the right file, or split it into smaller files", MaxFileSize>>20)
	}
	if e := checkText(data); e != nil {
		return nil, e
	}
	return bytes.TrimPrefix(data, []byte("\uFEFF")), nil
}

// saveAsHint tells a person how to get a file Import reads.
const saveAsHint = `in Excel choose File > Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)", then import that file`

// checkText refuses what is not UTF-8 text, naming the likely cause.
func checkText(data []byte) *ImportError {
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))) == 0:
		return fileError("the file is empty; export or save the device list again and import that file")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return fileError("this is an Excel workbook (.xlsx), not a CSV file; %s", saveAsHint)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.IndexByte(data, 0) >= 0:
		return fileError("the file is not plain UTF-8 text (it may be saved as \"Unicode Text\" or be a binary file); %s", saveAsHint)
	}
	if !utf8.Valid(data) {
		line := 1
		for len(data) > 0 {
			r, n := utf8.DecodeRune(data)
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			data = data[n:]
		}
		return fileError("the file is not UTF-8 text (line %d has characters in another encoding, perhaps an older Windows one); %s", line, saveAsHint)
	}
	line := 1
	for rest := data; len(rest) > 0; line++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > MaxLineLength {
			return fileError("line %d is longer than %d MiB, which no device list needs; check that you chose the right file", line, MaxLineLength>>20)
		}
		rest = rest[min(i+1, len(rest)):]
	}
	return nil
}
