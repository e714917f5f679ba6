package transfer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/sheetfile"
)

// importCSV reads a device list. The first line names the columns
// (see columns.go), in any order and any case; every other non-blank line
// is a device. Comma, semicolon (European Excel) and tab are recognised
// from the header line, as is Excel's "sep=;" first line.
func importCSV(ctx context.Context, st inventory.Store, data []byte, opt Options) (Summary, error) {
	comma, data := sheetfile.SniffDelimiter(data)
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comma = comma
	rd.FieldsPerRecord = -1 // a wrong count is reported per row, in words

	header, err := rd.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Summary{}, fileError("line %d (the header line): %s", pe.StartLine, quoteAdvice(pe, comma))
		}
		return Summary{}, fileError("the file has no header line; the first line must name the columns, such as %s", headerExample)
	}
	headerLine, _ := rd.FieldPos(0)
	rows, perr := readHeader(header, headerLine, comma)
	if perr != nil {
		return Summary{}, perr
	}
	existing, err := st.Devices(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("read the inventory: %w", err)
	}
	rows.seen = newIdentities(existing)
	settings, err := st.Settings(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("read the inventory's settings: %w", err)
	}
	rows.currency = settings.Currency
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Summary{}, err
			}
		}
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rows.problems = append(rows.problems, Problem{Line: pe.StartLine, Message: quoteAdvice(pe, comma)})
			continue
		} else if err != nil {
			return Summary{}, fmt.Errorf("read the file: %w", err)
		}
		line, _ := rd.FieldPos(0)
		rows.add(rec, line)
	}
	devices, problems, warnings := rows.devices, rows.problems, rows.finish()

	sum := Summary{Warnings: warnings}
	if len(problems) > 0 && (!opt.SkipBad || len(devices) == 0) {
		return sum, &ImportError{Problems: problems}
	}
	if opt.SkipBad {
		sum.Skipped = problems
	}
	if len(devices) == 0 {
		sum.Warnings = append(sum.Warnings, "the file names its columns but lists no devices")
		return sum, nil
	}
	added, err := st.Import(ctx, devices, opt.Progress)
	if err != nil {
		return Summary{Warnings: warnings}, fmt.Errorf("add the devices to the inventory: %w", err)
	}
	sum.Imported = len(added)
	return sum, nil
}

// Header is the standard header line of a device list, for help texts and
// templates.
const Header = "name,site,location,ip,mac,manufacturer,model,serial,firmware,install_date,warranty_end,end_of_support,replacement_cost,ot_owner,it_owner,budget_owner,strategy,notes"

// headerExample is the start of the standard header, for messages.
const headerExample = `"name,site,location,ip,mac,manufacturer,model,serial" (export a device list to see all of them)`

// csvRows collects the devices and problems of a CSV file, row by row.
type csvRows struct {
	cols     []*column // nil where a column is ignored
	names    []string  // the header cells, trimmed
	comma    rune
	seen     *identities
	unnamed  map[int]bool // columns without a name that hold values
	devices  []inventory.Device
	problems []Problem
	warnings []string
	currency string // the inventory's: a cost in another is refused
}

// readHeader maps header cells to columns. Unknown names are warnings; a
// name given twice, or a header that names no column at all, is a problem
// with the whole file.
func readHeader(header []string, line int, comma rune) (*csvRows, *ImportError) {
	r := &csvRows{cols: make([]*column, len(header)), names: make([]string, len(header)), comma: comma, unnamed: map[int]bool{}}
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		r.names[i] = h
		if h == "" {
			continue
		}
		c := findColumn(h)
		if c == nil {
			r.warnings = append(r.warnings, fmt.Sprintf("unknown column %q ignored", h))
			continue
		}
		if j, dup := seen[c.name]; dup {
			return nil, fileError("line %d: column %q appears twice (columns %d and %d); remove one of them and import again", line, c.name, j+1, i+1)
		}
		seen[c.name] = i
		r.cols[i] = c
	}
	if len(seen) == 0 {
		return nil, fileError("line %d does not name any SiteKeeper column; the first line must name the columns, such as %s", line, headerExample)
	}
	return r, nil
}

// add reads one row that starts on line.
func (r *csvRows) add(rec []string, line int) {
	if blank(rec) {
		return
	}
	if len(rec) != len(r.cols) {
		r.problems = append(r.problems, Problem{Line: line, Message: fmt.Sprintf(
			"has %d values but the header has %d columns; check for a missing or extra %s (text that contains a %s must be inside double quotes)",
			len(rec), len(r.cols), sheetfile.DelimiterName(r.comma), sheetfile.DelimiterName(r.comma))})
		return
	}
	for i, v := range rec {
		if r.names[i] == "" && strings.TrimSpace(v) != "" {
			r.unnamed[i] = true
		}
	}
	d, msgs, warns := rowDevice(r.cols, rec, line, r.currency)
	if len(msgs) == 0 {
		msgs = r.seen.check(&d, line)
	}
	if len(msgs) > 0 {
		r.problems = append(r.problems, Problem{Line: line, Message: strings.Join(msgs, "; also ")})
		return
	}
	r.warnings = append(r.warnings, warns...) // only about rows that are imported
	r.devices = append(r.devices, d)
}

// finish returns the warnings, with those about unnamed columns last.
func (r *csvRows) finish() []string {
	for i := range r.names {
		if r.unnamed[i] {
			r.warnings = append(r.warnings, fmt.Sprintf("column %d has no name in the header line; its values were ignored", i+1))
		}
	}
	return r.warnings
}

// rowDevice builds a device from one row, with what is wrong with it and
// what is worth a warning.
func rowDevice(cols []*column, rec []string, line int, currency string) (d inventory.Device, problems, warnings []string) {
	anyValue := false
	for i, c := range cols {
		v := unescapeCell(strings.TrimSpace(rec[i]))
		if c == nil || v == "" {
			continue
		}
		anyValue = true
		err := c.set(&d, v)
		if err == nil && c.name == "replacement_cost" {
			err = inventory.CheckCurrency(v, currency)
		}
		if err != nil {
			problems = append(problems, describe(c.name, err)...)
		} else if c.name == "replacement_cost" && d.Known.ReplacementCost == 0 {
			warnings = append(warnings, fmt.Sprintf("line %d: replacement_cost %q is kept as \"no cost entered\" (a replacement is never free); enter the real cost so that the budget counts it", line, v))
		}
	}
	if !anyValue {
		return d, []string{"has values only in columns SiteKeeper does not know; fill in at least a name, or remove the row"}, nil
	}
	if d.Known.Class == "" {
		// A guess from the words, kept as the network's kind of value: a
		// scan that knows better replaces it, a person's choice wins.
		d.Discovered.Class = inventory.GuessClass(d.Known.Name, d.Known.Model)
	}
	if len(d.Discovered.IPs) > 0 || d.Discovered.Firmware != "" || d.Discovered.Class != "" {
		d.Discovered.Sources = []string{"import"}
	}
	warnings = append(warnings, dropLoneFlags(&d.Known, line)...)
	if len(problems) == 0 {
		if err := inventory.Validate(&d); err != nil {
			problems = append(problems, describe("", err)...)
		}
	}
	return d, problems, warnings
}

// dropLoneFlags clears "estimated" flags set on values that are empty: the
// model cannot keep them, so the person is told rather than left to wonder.
func dropLoneFlags(k *inventory.Known, line int) []string {
	var warnings []string
	for _, f := range []struct {
		name  string
		flag  *bool
		empty bool
	}{
		{"install_date", &k.InstallDate.Estimated, k.InstallDate.IsZero()},
		{"purchase_date", &k.PurchaseDate.Estimated, k.PurchaseDate.IsZero()},
		{"warranty_end", &k.WarrantyEnd.Estimated, k.WarrantyEnd.IsZero()},
		{"end_of_support", &k.EndOfSupport.Estimated, k.EndOfSupport.IsZero()},
		{"replacement_cost", &k.ReplacementCostEstimated, k.ReplacementCost == 0},
	} {
		if *f.flag && f.empty {
			*f.flag = false
			warnings = append(warnings, fmt.Sprintf("line %d: %s_estimated is set but %s is empty; the flag was ignored", line, f.name, f.name))
		}
	}
	return warnings
}

// describe turns a parser's error into plain words, naming the column the
// value came from ("warranty_end", not the parser's "date").
func describe(col string, err error) []string {
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range m.Unwrap() {
			out = append(out, describe(col, e)...)
		}
		return out
	}
	var fe *inventory.FieldError
	if errors.As(err, &fe) {
		c := *fe
		if col != "" {
			c.Field = col
		}
		return []string{c.Error()}
	}
	return []string{err.Error()}
}

// blank reports whether a row has no value at all (Excel writes ",,,,"
// for rows that were cleared).
func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// quoteAdvice explains a CSV syntax error: in practice a double quote in
// the wrong place, from a hand edit or another program's export.
func quoteAdvice(pe *csv.ParseError, comma rune) string {
	where := ""
	if pe.Line != pe.StartLine {
		where = fmt.Sprintf(" (on line %d)", pe.Line)
	}
	if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
		return fmt.Sprintf("a double quote (\") is out of place%s; text that contains a %s, a line break or a quote must be inside double quotes, with each quote inside it doubled (\"\")", where, sheetfile.DelimiterName(comma))
	}
	return fmt.Sprintf("cannot be read%s (%v)", where, pe.Err)
}
