package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

const sampleCSV = "\ufeffname,site,location,ip,mac,manufacturer,model,serial,firmware,install_date,warranty_end,end_of_support,replacement_cost,ot_owner,it_owner,budget_owner,strategy,notes\n" +
	"Gate camera,Head office,Car park,198.18.1.11,AC-CC-8E-00-00-01,Axis,M3106-L Mk II,ACCC8E000001,10.12.153,2022-03-31,31/03/2027,,450.00,Facilities <fm@example.org>,IT,\"OT:60,IT:40\",warranty,Mounted high — needs a lift\n" +
	"Lobby recorder,Head office,Server room,198.18.1.20,00:04:7d:0e:b8:5c,Pelco,VXP,P123,1.41.00,2021-01-15,2026-01-15,,2300,Security,IT <it@example.org>,IT,,\n"

type run struct {
	code           int
	stdout, stderr string
}

func cliRun(t *testing.T, db string, args ...string) run {
	t.Helper()
	inv, err := Parse(append([]string{"--db", db}, args...))
	if err != nil {
		return run{code: ExitUsage, stderr: err.Error()}
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), inv, &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Version: "1.2.3"})
	return run{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Invocation
		wantErr bool
	}{
		{"nothing opens the window", nil, Invocation{}, false},
		{"db before command", []string{"--db", "x.db", "devices", "--json"}, Invocation{DB: "x.db", Command: "devices", Args: []string{"--json"}}, false},
		{"db after command", []string{"devices", "--db=x.db", "--csv"}, Invocation{DB: "x.db", Command: "devices", Args: []string{"--csv"}}, false},
		{"db alone", []string{"--db", "x.db"}, Invocation{DB: "x.db"}, false},
		{"help", []string{"--help"}, Invocation{Help: true}, false},
		{"command help goes to the command", []string{"import", "--help"}, Invocation{Command: "import", Args: []string{"--help"}}, false},
		{"unknown command", []string{"scna"}, Invocation{}, true},
		{"plan is a command", []string{"plan", "--json"}, Invocation{Command: "plan", Args: []string{"--json"}}, false},
		{"db without a value", []string{"--db"}, Invocation{}, true},
		{"unknown global option", []string{"--verbose"}, Invocation{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.args)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse(%q) error = %v; want error %v", tc.args, err, tc.wantErr)
			}
			if !tc.wantErr && (got.DB != tc.want.DB || got.Command != tc.want.Command || got.Help != tc.want.Help || strings.Join(got.Args, " ") != strings.Join(tc.want.Args, " ")) {
				t.Errorf("Parse(%q) = %+v; want %+v", tc.args, got, tc.want)
			}
		})
	}
}

func TestImportListExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	csv := writeFile(t, "devices.csv", sampleCSV)

	r := cliRun(t, db, "import", csv)
	if r.code != ExitOK || !strings.Contains(r.stderr, "Imported 2 devices") {
		t.Fatalf("import: code %d, stderr %q; want 0 and 'Imported 2 devices'", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("import wrote to stdout: %q", r.stdout)
	}

	r = cliRun(t, db, "devices", "--json")
	var views []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &views); err != nil || r.code != ExitOK {
		t.Fatalf("devices --json: code %d, %v\n%s", r.code, err, r.stdout)
	}
	if len(views) != 2 {
		t.Fatalf("devices --json listed %d devices; want 2", len(views))
	}
	byName := map[string]map[string]any{}
	for _, v := range views {
		byName[v["name"].(string)] = v
	}
	gate := byName["Gate camera"]
	for field, want := range map[string]any{"mac": "ac:cc:8e:00:00:01", "ip": "198.18.1.11", "manufacturer": "Axis", "firmware": "10.12.153", "site": "Head office", "warranty_end": "2027-03-31", "status": "active"} {
		if gate[field] != want {
			t.Errorf("devices --json: %s = %v; want %v", field, gate[field], want)
		}
	}

	r = cliRun(t, db, "devices")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Lobby recorder") || !strings.Contains(r.stdout, "2 devices") {
		t.Errorf("devices: code %d\n%s", r.code, r.stdout)
	}

	csvOut := cliRun(t, db, "devices", "--csv")
	exp := cliRun(t, db, "export", "--format", "csv")
	if exp.code != ExitOK || exp.stdout != "\ufeff"+csvOut.stdout {
		t.Errorf("export --format csv is not devices --csv with a byte order mark for Excel")
	}

	// export --out writes a file; json carries the history.
	out := filepath.Join(t.TempDir(), "inv.json")
	if r := cliRun(t, db, "export", "--format", "json", "--out", out); r.code != ExitOK {
		t.Fatalf("export json: %d %s", r.code, r.stderr)
	}
	db2 := filepath.Join(t.TempDir(), "copy.db")
	if r := cliRun(t, db2, "import", out); r.code != ExitOK {
		t.Fatalf("import of an export: %d %s", r.code, r.stderr)
	}
	a := cliRun(t, db, "export", "--format", "json")
	b := cliRun(t, db2, "export", "--format", "json")
	if a.stdout != b.stdout {
		t.Errorf("a JSON export imported into an empty inventory does not reproduce it")
	}
}

func TestBadRowsImportNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	csv := writeFile(t, "bad.csv", "name,mac,warranty_end,colour\nA,00:11:22:33:44:55,2027-01-01,red\nB,nonsense,2027-01-01,blue\nC,00:11:22:33:44:66,04/05/2027,green\n")
	r := cliRun(t, db, "import", csv)
	if r.code != ExitFailure {
		t.Fatalf("import of bad rows: code %d; want %d", r.code, ExitFailure)
	}
	for _, want := range []string{"line 3", "line 4", "colour", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r := cliRun(t, db, "devices", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("after a refused import, devices --json = %q; want []", r.stdout)
	}
	r = cliRun(t, db, "import", "--skip-bad", csv)
	if r.code != ExitOK || !strings.Contains(r.stderr, "Imported 1 device;") {
		t.Errorf("--skip-bad: code %d\n%s", r.code, r.stderr)
	}
}

func TestErrorsAreExplained(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.db")
	holder, err := inventory.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	damaged := writeFile(t, "damaged.db", strings.Repeat("not a database ", 1000))

	tests := []struct {
		name     string
		db       string
		args     []string
		code     int
		stderrHa string
	}{
		{"second instance", locked, []string{"devices"}, ExitFailure, "Another SiteKeeper"},
		{"damaged file", damaged, []string{"devices"}, ExitFailure, "damaged"},
		{"missing import file", filepath.Join(dir, "ok.db"), []string{"import", filepath.Join(dir, "nope.csv")}, ExitFailure, "does not exist"},
		{"bad format", filepath.Join(dir, "ok.db"), []string{"export", "--format", "xml"}, ExitUsage, "csv or json"},
		{"mistyped --db for a read", filepath.Join(dir, "typo.db"), []string{"devices"}, ExitFailure, "There is no inventory at"},
		{"mistyped --db for an export", filepath.Join(dir, "typo.db"), []string{"export", "--format", "csv"}, ExitFailure, "check the --db file name"},
		{"spreadsheet saved as xlsx", filepath.Join(dir, "ok.db"), []string{"import", writeFile(t, "book.csv", "PK\x03\x04 not really csv")}, ExitFailure, "Nothing was imported: "},
		{"both json and csv", filepath.Join(dir, "ok.db"), []string{"devices", "--json", "--csv"}, ExitUsage, "choose one"},
		{"unknown flag", filepath.Join(dir, "ok.db"), []string{"devices", "--xml"}, ExitUsage, "--help"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := cliRun(t, tc.db, tc.args...)
			if r.stdout != "" {
				t.Errorf("%v: an error wrote to stdout: %q", tc.args, r.stdout)
			}
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderrHa) {
				t.Errorf("%v: code %d, stderr %q; want %d and %q", tc.args, r.code, r.stderr, tc.code, tc.stderrHa)
			}
			if strings.Contains(r.stderr, "row has a problem") {
				t.Errorf("%v: a whole-file problem was worded as a bad row: %q", tc.args, r.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Error("a read command created the inventory file it was given")
	}
}

func TestHelpAndVersion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if r := cliRun(t, db, "version"); r.code != ExitOK || r.stdout != "sitekeeper 1.2.3\n" {
		t.Errorf("version = %d %q", r.code, r.stdout)
	}
	r := cliRun(t, db, "--help")
	for _, c := range commands {
		if !strings.Contains(r.stdout, c.name) {
			t.Errorf("help lacks %s", c.name)
		}
	}
	for _, c := range commands {
		if r := cliRun(t, db, c.name, "--help"); r.code != ExitOK || strings.Count(r.stdout, "Usage: sitekeeper "+c.name) != 1 {
			t.Errorf("%s --help = %d %q", c.name, r.code, r.stdout)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("help and version created the inventory file")
	}

}
