package transfer

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

// doc is a JSON export whose first device starts on line 5.
func doc(devices ...string) string {
	return "{\n\"format\": \"sitekeeper-inventory\",\n\"version\": 1,\n\"devices\": [\n" + strings.Join(devices, ",\n") + "\n]\n}\n"
}

func TestImportJSONWholeFileProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // part of the one whole-file problem
	}{
		{"other format", `{"format":"other","version":1,"devices":[]}`, "this JSON file is not a SiteKeeper inventory export"},
		{"no format", `{"devices":[]}`, "this JSON file is not a SiteKeeper inventory export"},
		{"no version", `{"format":"sitekeeper-inventory","devices":[]}`, "this JSON file is not a SiteKeeper inventory export"},
		{"newer version", `{"format":"sitekeeper-inventory","version":2,"devices":[]}`,
			"this export was made by a newer SiteKeeper (format version 2; this one reads version 1); update SiteKeeper and import it again"},
		{"version zero", `{"format":"sitekeeper-inventory","version":0}`, "format version 0, which does not exist"},
		{"version as text", `{"format":"sitekeeper-inventory","version":"1"}`, `in "version", a value is text, where SiteKeeper expects a number`},
		{"a list", `[{"id":"a"}]`, `this JSON file is a list, not a SiteKeeper inventory export`},
		{"syntax error", "{\n\"format\": \"sitekeeper-inventory\",\n\"version\": 1 1\n}", "(line 3)"},
		{"cut off", doc(`{"id":"a"}`)[:40], "it ends too early"},
		{"cut off inside a device", `{"format":"sitekeeper-inventory","version":1,"devices":[{"id":"a%}]}`, "it ends too early"},
		{"more after the end", `{"format":"sitekeeper-inventory","version":1} {}`, "the file has more after the end of the export"},
		{"bad currency", `{"format":"sitekeeper-inventory","version":1,"settings":{"currency":"EURO"}}`,
			`settings: currency "EURO" is not a currency code; write three letters like EUR or USD`},
		{"site without a name", `{"format":"sitekeeper-inventory","version":1,"sites":[{"name":" "}]}`, "a site in the file has no name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := inventory.NewMemory()
			_, err := importBytes(t, st, "inventory.json", []byte(tt.in), Options{})
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 0 {
				t.Fatalf("Import(%q) = %v; want one whole-file problem", tt.in, err)
			}
			if !strings.Contains(ie.Problems[0].Message, tt.want) {
				t.Errorf("Import(%q) problem = %q; want it to say %q", tt.in, ie.Problems[0].Message, tt.want)
			}
			if s, _ := st.Settings(t.Context()); !reflect.DeepEqual(s, inventory.Settings{Currency: inventory.DefaultCurrency}) {
				t.Errorf("Import(%q) changed the settings to %+v", tt.in, s)
			}
		})
	}
}

func TestImportJSONBadDevices(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Problem
	}{
		{"date not ISO", doc(`{"id":"a","known":{"install_date":{"date":"31/03/2027"}}}`),
			[]Problem{{Line: 5, Message: `the device cannot be read: date "31/03/2027" is not a date like 2027-03-31`}}},
		{"text for a number", doc(`{"id":"a"}`, `{"id":"b","known":{"expected_life_years":"ten"}}`),
			[]Problem{{Line: 6, Message: `the device cannot be read: "known.expected_life_years" is text, where SiteKeeper expects a number`}}},
		{"budget not 100", doc(`{"id":"a","known":{"budget_owner":"OT:60,IT:30"}}`),
			[]Problem{{Line: 5, Message: `the device cannot be read: budget_owner "OT:60,IT:30" adds up to 90%; the shares must add up to 100`}}},
		{"life out of range", doc(`{"id":"a","known":{"name":"Cam","expected_life_years":80}}`),
			[]Problem{{Line: 5, Message: `device a (Cam): expected_life_years "80" must be between 0 and 50 years`}}},
		{"no id", doc(`{"known":{"name":"Cam"}}`),
			[]Problem{{Line: 5, Message: `the device has no id; a JSON import restores exported devices, which always have one (to add new devices, use a CSV file)`}}},
		{"same id twice", doc(`{"id":"a"}`, `{"id":"a"}`),
			[]Problem{{Line: 6, Message: `device a (Unnamed device a) is also on line 5; each device may appear once`}}},
		{"not an object", doc(`{"id":"a"}`, `"b"`),
			[]Problem{{Line: 6, Message: `the device cannot be read: a value is text, where SiteKeeper expects an object`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := inventory.NewMemory()
			_, err := importBytes(t, st, "inventory.json", []byte(tt.in), Options{})
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("Import(%q) = %v; want an *ImportError", tt.in, err)
			}
			if !reflect.DeepEqual(ie.Problems, tt.want) {
				t.Errorf("Import(%q) problems =\n%q; want\n%q", tt.in, ie.Problems, tt.want)
			}
			if n := len(devices(t, st)); n != 0 {
				t.Errorf("Import(%q) stored %d devices; want none", tt.in, n)
			}
		})
	}
}

func TestImportJSONTwice(t *testing.T) {
	st := inventory.NewMemory()
	populate(t, st)
	exported := exportJSON(t, st)
	before := exportJSON(t, st)
	_, err := importBytes(t, st, "inventory.json", exported, Options{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 3 {
		t.Fatalf("Import(own export) = %v; want 3 problems", err)
	}
	lines := strings.Split(string(exported), "\n")
	for _, p := range ie.Problems {
		if !strings.Contains(p.Message, "is already in this inventory; import the file into a new, empty inventory") {
			t.Errorf("problem %q; want it to say the device is already there and what to do", p)
		}
		id := strings.Fields(p.Message)[1]
		if lines[p.Line-1] != "    {" || !strings.Contains(lines[p.Line], `"id": "`+id+`"`) {
			t.Errorf("problem %q is on line %d (%q); want the line that opens device %s", p, p.Line, lines[p.Line-1], id)
		}
	}
	if after := exportJSON(t, st); string(after) != string(before) {
		t.Errorf("a refused import changed the inventory")
	}
}

func TestImportJSONSkipBadAndWarnings(t *testing.T) {
	in := strings.Replace(doc(`{"id":"a","known":{"name":"Good"}}`, `{"id":"b","known":{"mac":"xx"}}`),
		"{\n", "{\n\"comment\": \"hand-made\", \"sites\": [{\"name\": \"HQ\"}], \"settings\": {\"organisation\": \"Acme\"},\n", 1)
	st := inventory.NewMemory()
	sum, err := importBytes(t, st, "inventory.json", []byte(in), Options{SkipBad: true})
	if err != nil || sum.Imported != 1 || len(sum.Skipped) != 1 {
		t.Fatalf("Import(SkipBad) = %+v, %v; want 1 imported, 1 skipped", sum, err)
	}
	if want := (Problem{Line: 7, Message: `device b (xx): mac "xx" is not a MAC address; write it like 00:1a:2b:3c:4d:5e`}); sum.Skipped[0] != want {
		t.Errorf("Skipped[0] = %q; want %q", sum.Skipped[0], want)
	}
	if want := []string{`unknown field "comment" ignored`}; !reflect.DeepEqual(sum.Warnings, want) {
		t.Errorf("Warnings = %q; want %q", sum.Warnings, want)
	}
	sites, _ := st.Sites(t.Context())
	settings, _ := st.Settings(t.Context())
	if len(sites) != 1 || sites[0].Name != "HQ" || settings.Organisation != "Acme" {
		t.Errorf("sites %+v, settings %+v; want HQ and Acme restored", sites, settings)
	}
}

func TestImportJSONCanonicalValues(t *testing.T) {
	in := doc(`{"id":"a","known":{"class":"Access control","strategy":"WARRANTY","replacement_cost":null},"lifecycle":{"state":"Spare"}}`)
	st := inventory.NewMemory()
	if sum, err := importBytes(t, st, "inventory.json", []byte(in), Options{}); err != nil || sum.Imported != 1 {
		t.Fatalf("Import = %+v, %v; want 1 imported", sum, err)
	}
	d := devices(t, st)[0]
	if d.Known.Class != inventory.ClassAccessControl || d.Known.Strategy != inventory.StrategyWarranty ||
		d.Lifecycle.State != inventory.StateSpare || d.Known.ReplacementCost != 0 {
		t.Errorf("stored class %q, strategy %q, state %q, cost %v; want access_control, warranty, spare, 0",
			d.Known.Class, d.Known.Strategy, d.Lifecycle.State, d.Known.ReplacementCost)
	}
}

func TestImportJSONSameDeviceOtherID(t *testing.T) {
	st := inventory.NewMemory()
	mustImport(t, st, "d.csv", []byte("name,mac\nLobby,00:1a:2b:3c:4d:5e\n"))
	sum := mustImport(t, st, "inventory.json", []byte(doc(`{"id":"a","known":{"name":"Hall","mac":"00-1A-2B-3C-4D-5E"}}`)))
	want := []string{`line 5: device a (Hall) has the same mac 00:1a:2b:3c:4d:5e as "Lobby", which the inventory already has; both are kept, so delete one if they are the same device`}
	if sum.Imported != 1 || !reflect.DeepEqual(sum.Warnings, want) {
		t.Errorf("Import = %+v; want 1 imported and warnings %q", sum, want)
	}
}
