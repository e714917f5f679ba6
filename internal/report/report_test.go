package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata")

// TestGolden: each audience's PDF of the two-site inventory is the same,
// byte for byte, as the golden file a person looked at (pdftoppm pages;
// `go test ./internal/report -update` rewrites them after a deliberate
// change, to be looked at again). Two runs give the same bytes.
func TestGolden(t *testing.T) {
	for _, audience := range []string{AudienceOT, AudienceIT} {
		t.Run(audience, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := Write(&a, audience, twoSites(), twoSitesOptions); err != nil {
				t.Fatal(err)
			}
			if err := Write(&b, audience, twoSites(), twoSitesOptions); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two runs over the same input gave different bytes")
			}
			golden := filepath.Join("testdata", "two-sites-"+audience+".pdf")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, a.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run the test with -update to write it)", err)
			}
			if !bytes.Equal(a.Bytes(), want) {
				out := filepath.Join(t.TempDir(), filepath.Base(golden))
				_ = os.WriteFile(out, a.Bytes(), 0o644)
				t.Errorf("the %s report differs from %s; the new one is %s: look at both, then run with -update if the change is meant", audience, golden, out)
			}
		})
	}
}
