package firmware

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/sheetfile"
)

// MaxCatalogSize is the largest catalog file Load reads: thousands of
// entries fit in a few hundred KiB.
const MaxCatalogSize = 8 << 20

// Options change how Load works.
type Options struct {
	// SkipBad keeps the good entries of a file and lists the bad ones in
	// Summary.Skipped, instead of loading nothing.
	SkipBad bool
}

// Problem is something wrong in a catalog file (sheetfile.Problem, as for
// device lists, so that the app shows both alike).
type Problem = sheetfile.Problem

// Summary is what Load kept and left out.
type Summary struct {
	Loaded int
	// Skipped lists the entries left out (only with Options.SkipBad).
	Skipped []Problem
	// Warnings are things worth knowing that did not stop an entry, such
	// as columns or keys that were ignored.
	Warnings []string
}

// LoadError is returned when no catalog was loaded because the file, or
// entries in it, were bad. It lists every problem, in file order.
type LoadError struct {
	Problems []Problem
}

// Error is a readable summary: what happened and the problems, one a line.
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("the firmware catalog was not loaded: ")
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "the file has %d problems; correct them and load it again, or load it skipping the bad entries", len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n" + p.String())
	}
	return b.String()
}

func fileProblem(format string, args ...any) *LoadError {
	return &LoadError{Problems: []Problem{{Message: fmt.Sprintf(format, args...)}}}
}

// Load reads a catalog file: JSON when name ends in .json or the file
// starts with '[', else CSV.
//
// JSON is a list of objects with the keys of Entry (manufacturer, model,
// latest_version, release_date, end_of_support, source_url, notes), all
// strings. CSV has a header line naming the same columns, in any order and
// case (a few other names are understood, see csvColumns); comma,
// semicolon or tab, Excel's "sep=;" line and a byte order mark are
// recognised, as transfer.Import does for device lists. Dates are read as
// inventory.ParseDate reads them.
//
// Load checks the whole file. When the file or any entry is bad it returns
// a *LoadError listing every problem with its line; with opt.SkipBad it
// keeps the good entries and lists the bad in Summary.Skipped, and fails
// only when no entry was good.
func Load(r io.Reader, name string, opt Options) (*Catalog, Summary, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCatalogSize+1))
	if err != nil {
		return nil, Summary{}, fmt.Errorf("read the catalog: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	switch {
	case len(data) > MaxCatalogSize:
		return nil, Summary{}, fileProblem("the file is larger than %d MiB, far more than a firmware catalog needs; check that you chose the right file", MaxCatalogSize>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, Summary{}, fileProblem("the file is empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, Summary{}, fileProblem(`this is an Excel workbook (.xlsx), not a CSV file; in Excel choose File > Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)", then load that file`)
	case !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0:
		return nil, Summary{}, fileProblem(`the file is not UTF-8 text; save it as "CSV UTF-8" or as JSON and load it again`)
	}
	var rd reading
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); strings.EqualFold(filepath.Ext(name), ".json") || trimmed[0] == '[' {
		rd.readJSON(data)
	} else {
		rd.readCSV(data)
	}
	if len(rd.problems) == 0 && rd.cat.Len() == 0 {
		rd.warnings = append(rd.warnings, "the file lists no entries")
	}
	sum := Summary{Loaded: rd.cat.Len(), Warnings: rd.warnings}
	if len(rd.problems) > 0 && (!opt.SkipBad || rd.cat.Len() == 0) {
		return nil, Summary{Warnings: rd.warnings}, &LoadError{Problems: rd.problems}
	}
	if opt.SkipBad {
		sum.Skipped = rd.problems
	}
	return &rd.cat, sum, nil
}

// reading collects a file's entries and problems.
type reading struct {
	cat      Catalog
	lines    []int // the line of each entry in cat
	problems []Problem
	warnings []string
}

func (rd *reading) problem(line int, format string, args ...any) {
	rd.problems = append(rd.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

// entry checks the values of one entry, read from line, and adds it.
func (rd *reading) entry(vals map[string]string, line int) {
	var e Entry
	var errs []error
	e.Manufacturer, e.Model, e.LatestVersion = vals["manufacturer"], vals["model"], vals["latest_version"]
	e.SourceURL, e.Notes = vals["source_url"], strings.TrimSpace(vals["notes"])
	for _, f := range []struct {
		col string
		to  *inventory.Date
	}{{"release_date", &e.ReleaseDate}, {"end_of_support", &e.EndOfSupport}} {
		d, err := inventory.ParseDate(vals[f.col])
		if err != nil {
			var fe *inventory.FieldError
			if errors.As(err, &fe) {
				fe.Field = f.col
			}
			errs = append(errs, err)
		}
		*f.to = d
	}
	if len(errs) == 0 {
		errs = append(errs, e.check())
		if i := rd.cat.find(&e); errs[0] == nil && i >= 0 {
			errs[0] = duplicate(&e, fmt.Sprintf("line %d", rd.lines[i]))
		}
	}
	if msgs := messages(errors.Join(errs...)); len(msgs) > 0 {
		rd.problem(line, "%s", strings.Join(msgs, "; also "))
		return
	}
	rd.cat.entries = append(rd.cat.entries, e)
	rd.lines = append(rd.lines, line)
}

// messages flattens joined errors into their texts.
func messages(err error) []string {
	if err == nil {
		return nil
	}
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range m.Unwrap() {
			out = append(out, messages(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// csvColumns maps the header names Load understands to Entry's keys.
var csvColumns = map[string]string{
	"manufacturer": "manufacturer", "vendor": "manufacturer", "make": "manufacturer", "brand": "manufacturer",
	"model": "model", "model_pattern": "model", "models": "model",
	"latest_version": "latest_version", "latest": "latest_version", "version": "latest_version", "latest_firmware": "latest_version", "firmware": "latest_version",
	"release_date": "release_date", "released": "release_date",
	"end_of_support": "end_of_support", "support_ends": "end_of_support", "eos": "end_of_support",
	"source_url": "source_url", "source": "source_url", "url": "source_url",
	"notes": "notes", "note": "notes", "comment": "notes",
}

var headerSeparators = strings.NewReplacer(" ", "_", "-", "_")

func (rd *reading) readCSV(data []byte) {
	comma, data := sheetfile.SniffDelimiter(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		rd.problem(0, "the file has no header line that can be read; the first line must name the columns: manufacturer,model,latest_version,release_date,end_of_support,source_url")
		return
	}
	headerLine, _ := r.FieldPos(0)
	keys := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		k := csvColumns[headerSeparators.Replace(strings.ToLower(h))]
		switch {
		case h == "":
		case k == "":
			rd.warnings = append(rd.warnings, fmt.Sprintf("unknown column %q ignored", h))
		case seen[k]:
			rd.problem(headerLine, "column %q appears twice; remove one of them and load the file again", k)
			return
		default:
			seen[k], keys[i] = true, k
		}
	}
	if !seen["manufacturer"] || !seen["model"] {
		rd.problem(headerLine, "the header must name at least the columns manufacturer and model; write it like manufacturer,model,latest_version,release_date,end_of_support,source_url")
		return
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rd.problem(pe.StartLine, "a double quote (\") is out of place or the line cannot be read (%v); text that contains a %s or a quote must be inside double quotes", pe.Err, sheetfile.DelimiterName(comma))
			continue
		} else if err != nil {
			rd.problem(0, "the file cannot be read: %v", err)
			return
		}
		line, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		if len(rec) != len(keys) {
			rd.problem(line, "has %d values but the header has %d columns; check for a missing or extra %s", len(rec), len(keys), sheetfile.DelimiterName(comma))
			continue
		}
		vals := map[string]string{}
		for i, k := range keys {
			if k != "" {
				vals[k] = strings.TrimSpace(rec[i])
			}
		}
		rd.entry(vals, line)
	}
}

// jsonKeys are the keys of a JSON entry.
var jsonKeys = []string{"manufacturer", "model", "latest_version", "release_date", "end_of_support", "source_url", "notes"}

func (rd *reading) readJSON(data []byte) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		rd.problem(lineAt(data, int(dec.InputOffset())), "a JSON catalog is a list of entries, [ {\"manufacturer\": ..., \"model\": ...}, ... ]; this file is not")
		return
	}
	for dec.More() {
		line := lineAt(data, int(dec.InputOffset()))
		var raw map[string]json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) { // the decoder has read past the value
				rd.problem(line, "an entry must be an object like {\"manufacturer\": \"Axis\", \"model\": \"P1448-LE\", ...}")
				continue
			}
			at := line
			var se *json.SyntaxError
			if errors.As(err, &se) {
				at = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
			}
			rd.problem(at, "the JSON cannot be read here (%v); check for a missing comma, quote or brace", err)
			return
		}
		vals := map[string]string{}
		var bad []string
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			v := raw[k]
			if !slices.Contains(jsonKeys, k) {
				rd.warnings = append(rd.warnings, fmt.Sprintf("line %d: unknown key %q ignored", line, k))
				continue
			}
			var s *string
			if err := json.Unmarshal(v, &s); err != nil {
				bad = append(bad, fmt.Sprintf("%s must be text in double quotes", k))
				continue
			}
			if s != nil {
				vals[k] = strings.TrimSpace(*s)
			}
		}
		if len(bad) > 0 {
			rd.problem(line, "%s", strings.Join(bad, "; also "))
			continue
		}
		rd.entry(vals, line)
	}
	if _, err := dec.Token(); err != nil {
		rd.problem(lineAt(data, int(dec.InputOffset())), "the list of entries does not end with ]; check the end of the file")
	}
}

// lineAt is the line of the first byte at or after off that is not
// blank or a comma: where the next JSON value starts.
func lineAt(data []byte, off int) int {
	off = min(off, len(data))
	for off < len(data) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// WriteJSON writes the catalog as Load reads it back: a list of entries,
// indented, in the catalog's order.
func WriteJSON(w io.Writer, c *Catalog) error {
	entries := c.Entries()
	if entries == nil {
		entries = []Entry{}
	}
	b, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return fmt.Errorf("write the catalog: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write the catalog: %w", err)
	}
	return nil
}
