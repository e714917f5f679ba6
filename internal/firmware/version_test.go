package firmware

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string // want is the Canonical form
	}{
		{"hikvision", "V5.7.3 build 220112", "5.7.3 build 220112"},
		{"hikvision older", "V5.2.0 build 140721", "5.2 build 140721"},
		{"hikvision lab", "V5.3.4 build 160830", "5.3.4 build 160830"},
		{"axis", "10.12.153", "10.12.153"},
		{"four numbers", "5.55.1.2", "5.55.1.2"},
		{"dahua", "2.800.0000000.5.R", "2.800.0.5-r"},
		{"dahua build date", "2.800.0000000.5.R, Build Date: 2020-01-14", "2.800.0.5-r build 20200114"},
		{"trailing zeros", "1.41.00", "1.41"},
		{"pelco", "2.9.0.4.9340-A0.0", "2.9.0.4.9340-a0.0"},
		{"word before", "firmware 6.50.1.2", "6.50.1.2"},
		{"lower v", "v1.2", "1.2"},
		{"spaces", "  3.1  ", "3.1"},
		{"lone number", "firmware 7", "7.0"},
		{"model digits ignored", "DS-2CD2142 V5.5.0", "5.5"},
		{"build joined", "1.2build5", "1.2 build 5"},
		{"rebuild is no build", "1.2 rebuild 5", "1.2-rebuild.5"},
		{"second build is dropped", "1.2 build 3 build5", "1.2 build 3"},
		{"huge number", "123456789012345678901234567890.1", "123456789012345678901234567890.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error %v; want %q", tt.in, err, tt.want)
			}
			if got := v.Canonical(); got != tt.want {
				t.Errorf("Parse(%q).Canonical() = %q; want %q", tt.in, got, tt.want)
			}
			if v.String() != strings.TrimSpace(tt.in) {
				t.Errorf("Parse(%q).String() = %q; want the input", tt.in, v.String())
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"", "   ", "unknown", "N/A", "DS-2CD", "build 220112", string(make([]byte, MaxVersionLength+1))} {
		v, err := Parse(in)
		if !errors.Is(err, ErrNoVersion) || !v.IsZero() {
			t.Errorf("Parse(%q) = %q, %v; want the zero Version and ErrNoVersion", in, v.Canonical(), err)
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       int
		older      bool // Older(a, b)
	}{
		{"equal", "5.55.1.2", "5.55.1.2", 0, false},
		{"numeric not text", "5.55.1.2", "5.8.1", 1, false},
		{"minor", "5.55.1.2", "5.80.1", -1, true},
		{"shorter equals padded", "1.2", "1.2.0", 0, false},
		{"shorter is older", "1.2", "1.2.1", -1, true},
		{"leading zeros", "1.41.00", "1.41", 0, false},
		{"v and words ignored", "firmware 6.50.1.2", "V6.50.1.2", 0, false},
		{"same numbers older build", "V5.7.3 build 220112", "V5.7.3 build 230101", -1, true},
		{"numbers win over build", "V5.3.4 build 160830", "V5.2.0 build 170101", 1, false},
		{"hikvision", "V5.2.0 build 140721", "V5.7.3 build 220112", -1, true},
		{"no build is not older", "V5.7.3", "V5.7.3 build 220112", -1, false},
		{"suffix only is not older", "2.800.0000000.5.R", "2.800.0000000.5.T", -1, false},
		{"no suffix first", "2.800.0000000.5", "2.800.0000000.5.R", -1, false},
		{"dahua numbers", "2.800.0000000.5.R", "2.800.0000001.0.R", -1, true},
		{"pelco", "2.9.0.4.9340-A0.0", "2.9.0.5.1000-A0.0", -1, true},
		{"axis", "10.12.153", "9.80.3", 1, false},
		{"huge", "99999999999999999999999.1", "100000000000000000000000.0", -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParse(t, tt.a), mustParse(t, tt.b)
			if got := Compare(a, b); got != tt.want {
				t.Errorf("Compare(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
			}
			if got := Compare(b, a); got != -tt.want {
				t.Errorf("Compare(%q, %q) = %d; want %d", tt.b, tt.a, got, -tt.want)
			}
			if got := Older(a, b); got != tt.older {
				t.Errorf("Older(%q, %q) = %v; want %v", tt.a, tt.b, got, tt.older)
			}
		})
	}
}

func TestCompareSorts(t *testing.T) {
	in := []string{"V5.7.3 build 220112", "V5.2.0 build 140721", "V5.3.4 build 160830", "V5.3.4", "5.2"}
	want := []string{"5.2", "V5.2.0 build 140721", "V5.3.4", "V5.3.4 build 160830", "V5.7.3 build 220112"}
	vs := make([]Version, len(in))
	for i, s := range in {
		vs[i] = mustParse(t, s)
	}
	slices.SortStableFunc(vs, Compare)
	got := make([]string, len(vs))
	for i, v := range vs {
		got[i] = v.String()
	}
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %q; want %q", got, want)
	}
}

func mustParse(t testing.TB, s string) Version {
	t.Helper()
	v, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return v
}
