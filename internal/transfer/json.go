package transfer

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"sitekeeper/internal/inventory"
)

// The JSON export's identity. Version changes only when an older SiteKeeper
// could no longer read the file correctly; fields may be added without it.
const (
	jsonFormat  = "sitekeeper-inventory"
	jsonVersion = 1
)

// document is a JSON export: the whole inventory, exactly. Devices are
// inventory.Records, so IDs, what was discovered and what people entered,
// lifecycle and history all survive a round trip.
type document struct {
	Format   string             `json:"format"`
	Version  int                `json:"version"`
	Settings inventory.Settings `json:"settings"`
	Sites    []inventory.Site   `json:"sites"`
	Devices  []inventory.Record `json:"devices"`
}

// ExportJSON writes the whole inventory as one indented JSON document:
//
//	{"format":"sitekeeper-inventory","version":1,"settings":{...},
//	 "sites":[...],"devices":[<inventory.Record>...]}
//
// Devices are in ID order and sites in name order, so the same inventory
// always gives the same bytes. Import restores it.
func ExportJSON(ctx context.Context, st inventory.Store, w io.Writer) error {
	doc := document{Format: jsonFormat, Version: jsonVersion, Sites: []inventory.Site{}, Devices: []inventory.Record{}}
	snap, err := st.Snapshot(ctx) // one transaction: a consistent picture even during a scan
	if err != nil {
		return fmt.Errorf("read the inventory: %w", err)
	}
	doc.Settings = *snap.Settings
	doc.Sites = append(doc.Sites, snap.Sites...)
	doc.Devices = append(doc.Devices, snap.Records...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // owners read "Team <contact>", not "Team \u003ccontact\u003e"
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// jsonFile is what importJSON read: the document and where its parts are.
type jsonFile struct {
	doc         document
	hasSettings bool
	deviceLines []int // deviceLines[i] is the line doc.Devices[i] starts on
	problems    []Problem
	warnings    []string
}

// importJSON restores a JSON export: devices with their IDs and histories,
// the settings (see adoptSettings) and the sites the inventory lacks, all in
// one transaction. It refuses a device whose ID the inventory already has,
// so importing the same file twice cannot make doubles.
func importJSON(ctx context.Context, st inventory.Store, data []byte, opt Options) (Summary, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return Summary{}, fileError("this JSON file is a list, not a SiteKeeper inventory export (the output of \"sitekeeper devices --json\" is for reading, not importing); export the inventory as JSON and import that file")
	}
	f, err := decodeJSON(data)
	if err != nil {
		return Summary{}, err
	}
	existing, err := st.Devices(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("read the inventory: %w", err)
	}
	good := checkRecords(&f, existing)
	sites, settingsOK := checkSitesAndSettings(ctx, &f)

	snap := inventory.Snapshot{Records: good}
	if f.hasSettings && settingsOK {
		if err := adoptSettings(ctx, st, &f, len(existing) == 0, &snap); err != nil {
			return Summary{}, err
		}
	}
	snap.Sites = newSites(ctx, st, &f, sites)
	slices.SortStableFunc(f.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })

	sum := Summary{Warnings: f.warnings}
	if len(f.problems) > 0 && (!opt.SkipBad || len(good) == 0) {
		return sum, &ImportError{Problems: f.problems}
	}
	if opt.SkipBad {
		sum.Skipped = f.problems
	}
	// Devices, settings and sites in one transaction: a Stop or a failure
	// keeps nothing, so "nothing was changed" is true when the GUI says it.
	if err := st.Restore(ctx, snap, opt.Progress); err != nil {
		return Summary{Warnings: f.warnings}, fmt.Errorf("add the devices to the inventory: %w", err)
	}
	sum.Imported = len(good)
	return sum, nil
}

// adoptSettings decides what the file's settings do. Into an empty
// inventory they come as they are: that is a restore. Into one that has
// devices they change nothing a person set: an organisation already named
// stays, and a file that counts money in another currency is refused,
// because its costs would silently change meaning.
func adoptSettings(ctx context.Context, st inventory.Store, f *jsonFile, empty bool, snap *inventory.Snapshot) error {
	in := f.doc.Settings
	if empty {
		snap.Settings = &in
		return nil
	}
	have, err := st.Settings(ctx)
	if err != nil {
		return fmt.Errorf("read the inventory's settings: %w", err)
	}
	if in.Currency != "" && !strings.EqualFold(in.Currency, have.Currency) {
		f.problems = append(f.problems, Problem{Message: fmt.Sprintf(
			"the file counts money in %s but this inventory counts it in %s; import it into an empty inventory (--db with a new file name), or change this inventory's currency first",
			strings.ToUpper(in.Currency), have.Currency)})
		return nil
	}
	if in.Organisation != "" && have.Organisation == "" {
		have.Organisation = in.Organisation
		snap.Settings = &have
	} else if in.Organisation != "" && in.Organisation != have.Organisation {
		f.warnings = append(f.warnings, fmt.Sprintf("the file belongs to %q; this inventory keeps its own organisation %q", in.Organisation, have.Organisation))
	}
	return nil
}

// newSites returns the file's sites that the inventory does not have yet;
// a site it has keeps its own policy, with a warning.
func newSites(ctx context.Context, st inventory.Store, f *jsonFile, sites []inventory.Site) []inventory.Site {
	have, err := st.Sites(ctx)
	if err != nil {
		f.problems = append(f.problems, Problem{Message: "cannot read the inventory's sites: " + err.Error()})
		return nil
	}
	var out []inventory.Site
	for _, s := range sites {
		if slices.ContainsFunc(have, func(h inventory.Site) bool {
			return strings.EqualFold(strings.TrimSpace(h.Name), strings.TrimSpace(s.Name))
		}) {
			f.warnings = append(f.warnings, fmt.Sprintf("site %q is already in the inventory; kept its settings", s.Name))
			continue
		}
		out = append(out, s)
	}
	return out
}

// checkRecords returns the records that can be restored, and adds a
// problem for each one that cannot.
func checkRecords(f *jsonFile, existing []inventory.Device) []inventory.Record {
	have := make(map[string]bool, len(existing))
	for _, d := range existing {
		have[d.ID] = true
	}
	inFile := map[string]int{}
	seen := newIdentities(existing)
	var good []inventory.Record
	for i := range f.doc.Devices {
		rec, line := f.doc.Devices[i], f.deviceLines[i]
		if rec.ID == "" {
			f.problems = append(f.problems, Problem{Line: line, Message: "the device has no id; a JSON import restores exported devices, which always have one (to add new devices, use a CSV file)"})
			continue
		}
		who := fmt.Sprintf("device %s (%s)", rec.ID, rec.DisplayName())
		if err := inventory.Validate(&rec.Device); err != nil {
			for _, m := range describe("", err) {
				f.problems = append(f.problems, Problem{Line: line, Message: who + ": " + m})
			}
			continue
		}
		switch prev, dup := inFile[rec.ID]; {
		case have[rec.ID]:
			f.problems = append(f.problems, Problem{Line: line, Message: who + " is already in this inventory; import the file into a new, empty inventory, or delete that device first"})
			continue
		case dup:
			f.problems = append(f.problems, Problem{Line: line, Message: fmt.Sprintf("%s is also on line %d; each device may appear once", who, prev)})
			continue
		}
		inFile[rec.ID] = line
		if what, name, ok := seen.known(&rec.Device); ok {
			f.warnings = append(f.warnings, fmt.Sprintf("line %d: %s has the same %s as %q, which the inventory already has; both are kept, so delete one if they are the same device", line, who, what, name))
		}
		good = append(good, rec)
	}
	return good
}

// checkSitesAndSettings tries the settings and sites on a scratch store,
// so that they are checked by the store's own rules before anything is
// written; it returns the sites that can be saved.
func checkSitesAndSettings(ctx context.Context, f *jsonFile) ([]inventory.Site, bool) {
	scratch := inventory.NewMemory()
	defer scratch.Close()
	settingsOK := true
	if f.hasSettings {
		if err := scratch.PutSettings(ctx, f.doc.Settings); err != nil {
			settingsOK = false
			f.problems = append(f.problems, Problem{Message: "settings: " + describe("", err)[0]})
		}
	}
	var sites []inventory.Site
	for _, s := range f.doc.Sites {
		if err := scratch.PutSite(ctx, s); err != nil {
			msg := "a site in the file has no name; give it one, or remove it"
			if fe := (*inventory.FieldError)(nil); !errors.As(err, &fe) {
				msg = fmt.Sprintf("site %q: %v", s.Name, err)
			}
			f.problems = append(f.problems, Problem{Message: msg})
			continue
		}
		sites = append(sites, s)
	}
	return sites, settingsOK
}

// decodeJSON reads an export, noting the line each device starts on, so
// that problems can name it. A syntax error, or a file that is not a
// SiteKeeper export of a version this build reads, is a whole-file problem;
// a device that does not fit the model is a problem with that device.
func decodeJSON(data []byte) (jsonFile, error) {
	var f jsonFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return f, notExport(data, "", err)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return f, notExport(data, "", err)
		}
		key, _ := tok.(string)
		seen[key] = true
		switch key {
		case "format":
			err = dec.Decode(&f.doc.Format)
		case "version":
			err = dec.Decode(&f.doc.Version)
		case "settings":
			f.hasSettings = true
			err = dec.Decode(&f.doc.Settings)
		case "sites":
			err = dec.Decode(&f.doc.Sites)
		case "devices":
			err = decodeDevices(dec, data, &f)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
			f.warnings = append(f.warnings, fmt.Sprintf("unknown field %q ignored", key))
		}
		if err != nil {
			return f, notExport(data, key, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return f, notExport(data, "", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return f, fileError("the file has more after the end of the export; export the inventory again and import that file")
	}
	switch {
	case f.doc.Format != jsonFormat || !seen["version"]:
		return f, fileError("this JSON file is not a SiteKeeper inventory export; import a file made by SiteKeeper's JSON export, or a CSV device list")
	case f.doc.Version > jsonVersion:
		return f, fileError("this export was made by a newer SiteKeeper (format version %d; this one reads version %d); update SiteKeeper and import it again", f.doc.Version, jsonVersion)
	case f.doc.Version < 1:
		return f, fileError("the export has format version %d, which does not exist; export the inventory again and import that file", f.doc.Version)
	}
	return f, nil
}

// decodeDevices reads the devices array one record at a time, so that a
// record that does not fit the model (a date that is not ISO, text where a
// number belongs) is a problem of its own, on its own line. A record that
// is not even JSON ends the reading: the decoder cannot resume after it.
func decodeDevices(dec *json.Decoder, data []byte, f *jsonFile) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		start := dec.InputOffset()
		line := lineAt(data, startOfValue(data, start))
		var rec inventory.Record
		err := dec.Decode(&rec)
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), err != nil && dec.InputOffset() == start:
			// The decoder could not get past the value: it is broken
			// for good, and the whole file with it.
			return err
		case err != nil:
			f.problems = append(f.problems, Problem{Line: line, Message: "the device cannot be read: " + jsonReason(err)})
			continue
		}
		f.doc.Devices = append(f.doc.Devices, rec)
		f.deviceLines = append(f.deviceLines, line)
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q", string(want))
	}
	return nil
}

// notExport is the whole-file problem for JSON that cannot be read; key is
// the top-level field being read, if any.
func notExport(data []byte, key string, err error) error {
	var syntax *json.SyntaxError
	where := ""
	if errors.As(err, &syntax) {
		where = fmt.Sprintf(" (line %d)", lineAt(data, int64(syntax.Offset)))
	} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		where = " (it ends too early; it may have been cut off)"
	}
	reason := jsonReason(err)
	if key != "" {
		reason = fmt.Sprintf("in %q, %s", key, reason)
	}
	return fileError("the file is not a readable SiteKeeper JSON export%s: %s; export the inventory again and import that file", where, reason)
}

// jsonReason says in words why a value could not be read.
func jsonReason(err error) string {
	var fe *inventory.FieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &fe):
		return fe.Error()
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Sprintf("a value is %s, where SiteKeeper expects %s", jsonKind(te.Value), typeKind(te.Type))
		}
		// The path names the embedded Device by its Go name; a person
		// knows the JSON names only.
		field := strings.TrimPrefix(te.Field, "Device.")
		return fmt.Sprintf("%q is %s, where SiteKeeper expects %s", field, jsonKind(te.Value), typeKind(te.Type))
	}
	return err.Error()
}

// jsonKind names a JSON value's kind as encoding/json reports it.
func jsonKind(v string) string {
	switch v {
	case "string":
		return "text"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	return v
}

func typeKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// startOfValue skips the white space and comma before an array element.
func startOfValue(data []byte, off int64) int64 {
	for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,"), data[off]) >= 0 {
		off++
	}
	return off
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
