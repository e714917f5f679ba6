package firmware

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func loadExample(t *testing.T) *Catalog {
	t.Helper()
	f, err := os.Open("testdata/catalog-example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, sum, err := Load(f, f.Name(), Options{})
	if err != nil {
		t.Fatalf("Load(example) error: %v", err)
	}
	if sum.Loaded != 5 || cat.Len() != 5 || len(sum.Warnings) != 0 {
		t.Fatalf("Load(example) = %d entries, summary %+v; want 5 and no warnings", cat.Len(), sum)
	}
	return cat
}

func TestLookup(t *testing.T) {
	cat := loadExample(t)
	tests := []struct {
		name, mfr, model string
		want             string // the entry's pattern; "" for none
	}{
		{"exact beats glob", "Hikvision", "DS-2CD2142FWD-I", "DS-2CD2142FWD-I"},
		{"case-insensitive", "HIKVISION", "ds-2cd2142fwd-i", "DS-2CD2142FWD-I"},
		{"glob", "Hikvision Digital Technology", "DS-2CD2032-I", "DS-2CD2*"},
		{"formal name alias", "Hangzhou Hikvision Digital Technology Co., Ltd.", "DS-2CD2032-I", "DS-2CD2*"},
		{"glob does not match other family", "Hikvision", "DS-2DE4A425IW-DE", ""},
		{"axis short name", "AXIS", "P1448-LE", "P1448-LE"},
		{"model with maker in front", "AXIS", "AXIS P1448-LE", "P1448-LE"},
		{"exact is exact", "Axis", "P1448-LE Mk II", ""},
		{"dahua formal name", "Dahua", "IPC-HDW2431T-AS", "IPC-HDW*"},
		{"question mark", "Pelco", "IMP521-1ES", "IMP?21*"},
		{"other maker same model", "Uniview", "P1448-LE", ""},
		{"no manufacturer", "", "P1448-LE", ""},
		{"no model", "Axis", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := cat.Lookup(tt.mfr, tt.model)
			if got := e.Model; got != tt.want || ok != (tt.want != "") {
				t.Errorf("Lookup(%q, %q) = %q, %v; want %q", tt.mfr, tt.model, got, ok, tt.want)
			}
		})
	}
	if _, ok := (*Catalog)(nil).Lookup("Axis", "P1448-LE"); ok {
		t.Error("nil Catalog Lookup found an entry")
	}
	if Default().Len() != 0 {
		t.Error("Default() has entries; SiteKeeper ships none")
	}
}

func TestMoreLiteralGlobWins(t *testing.T) {
	cat, err := New([]Entry{
		entry("Axis", "P*", "1.0"),
		entry("Axis", "P14*", "2.0"),
		entry("Axis", "P1?48*", "3.0"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for model, want := range map[string]string{"P1448-LE": "P1?48*", "P1445-LE": "P14*", "P3245": "P*"} {
		if e, _ := cat.Lookup("axis", model); e.Model != want {
			t.Errorf("Lookup(axis, %q) = %q; want %q", model, e.Model, want)
		}
	}
}

func entry(mfr, model, latest string) Entry {
	return Entry{Manufacturer: mfr, Model: model, LatestVersion: latest, SourceURL: "https://example.com/x"}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"ds-2cd2*", "ds-2cd2142fwd-i", true},
		{"ds-2cd2*", "ds-2cd", false},
		{"*-le", "p1448-le", true},
		{"p3245-lv*", "p3245-lv/lve", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"?", "é", true},
		{"abc", "abcd", false},
		{"**a", "a", true},
	}
	for _, tt := range tests {
		if got := match(tt.glob, tt.name); got != tt.want {
			t.Errorf("match(%q, %q) = %v; want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}

func TestManufacturerKey(t *testing.T) {
	for in, want := range map[string]string{
		"HIKVISION": "hikvision", "Hikvision Digital Technology": "hikvision",
		"Hangzhou Hikvision Digital Technology Co., Ltd.": "hikvision",
		"AXIS": "axis", "Axis Communications AB": "axis",
		"Zhejiang Dahua Technology Co., Ltd.": "dahua", "Dahua": "dahua",
		"Zhejiang Uniview Technologies Co., Ltd.": "uniview",
		"Robert Bosch GmbH":                       "bosch", "Bosch Security Systems": "bosch",
		"Hanwha Vision": "hanwha", "": "",
	} {
		if got := manufacturerKey(in); got != want {
			t.Errorf("manufacturerKey(%q) = %q; want %q", in, got, want)
		}
	}
}

const csvHeader = "manufacturer,model,latest_version,release_date,end_of_support,source_url\n"

func TestLoadCSV(t *testing.T) {
	tests := []struct {
		name, file string
		loaded     int
		warnings   []string
	}{
		{"standard", csvHeader + "Axis,P1448-LE,10.12.153,2024-03-01,,https://example.com/a\n", 1, nil},
		{"any order, aliases, case", "Source;Version;Model;Vendor;EOS;Released\nhttps://example.com/a;10.12.153;P1448-LE;Axis;31/12/2030;15/03/2024\n", 1, nil},
		{"bom and sep line", "\uFEFFsep=;\r\n" + strings.ReplaceAll(csvHeader, ",", ";") + "Axis;P1448-LE;10.12.153;;;https://example.com/a\r\n", 1, nil},
		{"tabs and blank rows", strings.ReplaceAll(csvHeader, ",", "\t") + "\t\t\t\t\t\nAxis\tP1448-LE\t10.12.153\t\t\thttps://example.com/a\n", 1, nil},
		{"unknown column", "manufacturer,model,latest_version,source_url,colour\nAxis,P1448-LE,1.0,https://example.com/a,red\n", 1, []string{`unknown column "colour" ignored`}},
		{"header only", csvHeader, 0, []string{"the file lists no entries"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, sum, err := Load(strings.NewReader(tt.file), "catalog.csv", Options{})
			if err != nil {
				t.Fatalf("Load() error: %v", err)
			}
			if cat.Len() != tt.loaded || sum.Loaded != tt.loaded || strings.Join(sum.Warnings, "|") != strings.Join(tt.warnings, "|") {
				t.Errorf("Load() = %d entries, %+v; want %d, warnings %q", cat.Len(), sum, tt.loaded, tt.warnings)
			}
		})
	}
	cat, _, _ := Load(strings.NewReader(tests[1].file), "x.csv", Options{})
	if e := cat.Entries()[0]; e.EndOfSupport.String() != "2030-12-31" || e.ReleaseDate.String() != "2024-03-15" || e.Manufacturer != "Axis" {
		t.Errorf("aliased columns read as %+v", e)
	}
}

func TestLoadBadRows(t *testing.T) {
	file := csvHeader +
		"Axis,P1448-LE,10.12.153,2024-03-01,,https://example.com/a\n" + // 2: good
		"Axis,P3245*,10.12.153,04/05/2024,,https://example.com/b\n" + // 3: ambiguous date
		"Axis,Q6045,9.80.1,2024-01-01,,\n" + // 4: no source
		"Axis,*,9.80.1,2024-01-01,,https://example.com/c\n" + // 5: pattern matches all
		"Axis,M30[45],9.80.1,,,https://example.com/c\n" + // 6: brackets
		"Axis,Q1615,unknown,,,ftp://example.com/c\n" + // 7: version and url
		"AXIS Communications AB,p1448-le,11.0,,,https://example.com/d\n" + // 8: duplicate of 2
		"Axis,Q1700,1.0,,\n" + // 9: too few values
		"Hikvision,DS-2CD2*,V5.7.3 build 220112,2025-01-01,2024-01-01,https://example.com/e\n" // 10: eos before release
	wantLines := []int{3, 4, 5, 6, 7, 8, 9, 10}
	wantWords := []string{"could be", "source_url", "matches every model", "[, ]", "latest_version", "line 2", "6 columns", "before the release date"}

	_, _, err := Load(strings.NewReader(file), "c.csv", Options{})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load() error = %v; want *LoadError", err)
	}
	if len(le.Problems) != len(wantLines) {
		t.Fatalf("Load() problems = %q; want lines %v", le.Problems, wantLines)
	}
	for i, p := range le.Problems {
		if p.Line != wantLines[i] || !strings.Contains(p.Message, wantWords[i]) {
			t.Errorf("problem %d = %q; want line %d about %q", i, p, wantLines[i], wantWords[i])
		}
	}
	if strings.Count(le.Problems[4].Message, "; also ") != 1 {
		t.Errorf("line 7 = %q; want both the version and the URL named", le.Problems[4])
	}

	cat, sum, err := Load(strings.NewReader(file), "c.csv", Options{SkipBad: true})
	if err != nil || cat.Len() != 1 || len(sum.Skipped) != len(wantLines) {
		t.Errorf("Load(SkipBad) = %d entries, %d skipped, %v; want 1, %d, nil", cat.Len(), len(sum.Skipped), err, len(wantLines))
	}
	if _, _, err := Load(strings.NewReader(csvHeader+"Axis,Q6045,9.80.1,,,\n"), "c.csv", Options{SkipBad: true}); !errors.As(err, &le) {
		t.Errorf("Load(SkipBad) with no good entry: error %v; want *LoadError", err)
	}
}

func TestLoadJSON(t *testing.T) {
	tests := []struct {
		name, file string
		lines      []int // the problems' lines
	}{
		{"good", `[{"manufacturer":"Axis","model":"P1448-LE","latest_version":"1.0","source_url":"https://example.com/a"}]`, nil},
		{"bad entries", "[\n" +
			`{"manufacturer":"Axis","model":"P1448-LE","latest_version":"1.0","source_url":"https://example.com/a"},` + "\n" +
			`{"manufacturer":"Axis","model":"Q6045","latest_version":"1.0"},` + "\n" +
			"\n  " + `{"manufacturer":"Axis","model":"Q6046","latest_version":1.0,"source_url":"https://example.com/a"},` + "\n" +
			`"text",` + "\n" +
			`{"manufacturer":"Axis","model":"Q6047","latest_version":"1.0","source_url":"https://example.com/a","release_date":"2024-13-01"}` + "\n]", []int{3, 5, 6, 7}},
		{"broken", "[\n{\"manufacturer\": \"Axis\",\n\"model\" \"x\"}\n]", []int{3}},
		{"not a list", `{"entries": []}`, []int{1}},
		{"unterminated", "[\n" + `{"manufacturer":"Axis","model":"P1448-LE","latest_version":"1.0","source_url":"https://example.com/a"}`, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(strings.NewReader(tt.file), "catalog.json", Options{})
			var lines []int
			var le *LoadError
			if errors.As(err, &le) {
				for _, p := range le.Problems {
					lines = append(lines, p.Line)
				}
			} else if err != nil {
				t.Fatalf("Load() error %v; want a *LoadError", err)
			}
			if !slices.Equal(lines, tt.lines) {
				t.Errorf("Load() problems %v on lines %v; want lines %v", err, lines, tt.lines)
			}
		})
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	cat := loadExample(t)
	var b strings.Builder
	if err := WriteJSON(&b, cat); err != nil {
		t.Fatal(err)
	}
	back, _, err := Load(strings.NewReader(b.String()), "back.json", Options{})
	if err != nil {
		t.Fatalf("Load(WriteJSON(example)) error: %v", err)
	}
	if got, want := back.Entries(), cat.Entries(); !slices.EqualFunc(got, want, func(a, b Entry) bool {
		return a.Manufacturer == b.Manufacturer && a.Model == b.Model && a.LatestVersion == b.LatestVersion &&
			a.ReleaseDate == b.ReleaseDate && a.EndOfSupport == b.EndOfSupport && a.SourceURL == b.SourceURL && a.Notes == b.Notes
	}) {
		t.Errorf("round trip = %+v; want %+v", got, want)
	}
	b.Reset()
	if err := WriteJSON(&b, Default()); err != nil || b.String() != "[]\n" {
		t.Errorf("WriteJSON(Default()) = %q, %v; want []", b.String(), err)
	}
}

func TestNew(t *testing.T) {
	_, err := New([]Entry{entry("Axis", "P1448-LE", "1.0"), entry("AXIS", "p1448-le", "2.0"), {Manufacturer: "Axis", Model: "Q6045"}})
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) != 2 ||
		!strings.Contains(le.Problems[0].Message, "entry 2: model \"p1448-le\" is listed for AXIS already, at entry 1") ||
		!strings.Contains(le.Problems[1].Message, "entry 3: latest_version") {
		t.Errorf("New() error = %v; want entry 2 a duplicate of entry 1, entry 3 missing its version and source", err)
	}
}
