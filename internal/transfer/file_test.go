package transfer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

// endless is an io.Reader of n bytes of 'a' that allocates nothing itself.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), e.n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	e.n -= k
	return k, nil
}

func TestImportWholeFileProblems(t *testing.T) {
	tests := []struct {
		name string
		file string
		in   io.Reader
		want []string // parts of the one whole-file problem
	}{
		{"Windows-1252 text", "latin1.csv", bytes.NewReader(readTestdata(t, "latin1.csv")),
			[]string{"not UTF-8 text", "line 2", `"CSV UTF-8 (Comma delimited) (*.csv)"`}},
		{"UTF-16 text", "utf16.csv", bytes.NewReader(readTestdata(t, "utf16.csv")),
			[]string{"not plain UTF-8 text", "Unicode Text", "CSV UTF-8"}},
		{"Excel workbook", "devices.xlsx", strings.NewReader("PK\x03\x04\x14\x00\x06\x00"),
			[]string{"Excel workbook (.xlsx)", "CSV UTF-8"}},
		{"empty", "d.csv", strings.NewReader(""), []string{"the file is empty"}},
		{"only a BOM and blank lines", "d.csv", strings.NewReader("\uFEFF\r\n\r\n"), []string{"the file is empty"}},
		{"too large", "d.csv", &endless{n: MaxFileSize + 1}, []string{"larger than 64 MiB", "split it"}},
		{"line too long", "d.csv", strings.NewReader("name\n" + strings.Repeat("a", MaxLineLength+1) + "\n"),
			[]string{"line 2 is longer than 1 MiB"}},
		{"no known column", "d.csv", strings.NewReader("Camera 1,HQ,10.0.0.1\nCamera 2,HQ,10.0.0.2\n"),
			[]string{"line 1 does not name any SiteKeeper column", "name,site,location"}},
		{"column twice", "d.csv", strings.NewReader("name,IP,ip address\nCam,10.0.0.1,10.0.0.2\n"),
			[]string{`column "ip" appears twice (columns 2 and 3)`}},
		{"bad quote in header", "d.csv", strings.NewReader("name,\"site\n"),
			[]string{"line 1 (the header line)", "double quote"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := inventory.NewMemory()
			_, err := Import(t.Context(), st, tt.in, tt.file, Options{SkipBad: true})
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 0 {
				t.Fatalf("Import(%s) = %v; want one whole-file problem", tt.name, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(ie.Problems[0].Message, w) {
					t.Errorf("Import(%s) problem = %q; want it to say %q", tt.name, ie.Problems[0].Message, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "nothing was imported: ") {
				t.Errorf("Error() = %q; want it to start %q", err.Error(), "nothing was imported: ")
			}
		})
	}
}

func TestImportDetectsJSON(t *testing.T) {
	tests := []struct {
		name, file, in string
		wantJSON       bool
	}{
		{"json name", "inventory.json", "name,site\nCam,HQ\n", true},
		{"JSON name in capitals", "INVENTORY.JSON", "name,site\nCam,HQ\n", true},
		{"brace first", "inventory.txt", "\uFEFF  \n{\"format\":\"x\"}", true},
		{"csv", "devices.csv", "name,site\nCam,HQ\n", false},
		{"no name", "", "name,site\nCam,HQ\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importBytes(t, inventory.NewMemory(), tt.file, []byte(tt.in), Options{})
			gotJSON := err != nil && strings.Contains(err.Error(), "JSON")
			if gotJSON != tt.wantJSON || (!tt.wantJSON && err != nil) {
				t.Errorf("Import(%q, %q) = %v; want read as JSON: %v", tt.file, tt.in, err, tt.wantJSON)
			}
		})
	}
}

func TestImportErrorMessage(t *testing.T) {
	var many []Problem
	for i := range 25 {
		many = append(many, Problem{Line: i + 2, Message: "bad"})
	}
	tests := []struct {
		name string
		in   []Problem
		want string
	}{
		{"whole file", []Problem{{Line: 0, Message: "the file is empty"}}, "nothing was imported: the file is empty"},
		{"one row", []Problem{{Line: 7, Message: "bad"}}, "nothing was imported: line 7: bad"},
		{"file and row", []Problem{{Line: 0, Message: "settings: bad"}, {Line: 3, Message: "bad"}}, "nothing was imported: the file has 2 problems\nsettings: bad\nline 3: bad"},
		{"many rows", many, "nothing was imported: the file has 25 problems; correct them and import again, or import again skipping the bad rows\nline 2: bad\nline 3: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&ImportError{Problems: tt.in}).Error()
			if tt.name == "many rows" {
				if !strings.HasPrefix(got, tt.want) || !strings.HasSuffix(got, "line 21: bad\n... and 5 more") {
					t.Errorf("Error() = %q; want the first 20 and \"... and 5 more\"", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("Error() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestImportCancelled(t *testing.T) {
	for _, tt := range []struct{ name, file, in string }{
		{"csv", "d.csv", "name\nCam\n"},
		{"json", "d.json", doc(`{"id":"a"}`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			st := inventory.NewMemory()
			_, err := Import(ctx, st, strings.NewReader(tt.in), tt.file, Options{})
			var ie *ImportError
			if !errors.Is(err, context.Canceled) || errors.As(err, &ie) {
				t.Errorf("Import(cancelled) = %v; want context.Canceled, not an *ImportError", err)
			}
			if n := len(devices(t, st)); n != 0 {
				t.Errorf("Import(cancelled) stored %d devices", n)
			}
		})
	}
}
