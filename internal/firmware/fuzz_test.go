package firmware

import "testing"

// FuzzParse checks that Parse never panics, that Canonical reads back to an
// equal version, and that Compare is antisymmetric, agrees with Canonical
// on equality, and that Older implies Compare < 0. Seeded with the
// FirmwareVersion values of the lab's captured devices and vendors' forms.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"V5.7.3 build 220112", "V5.2.0 build 140721", "V5.3.4 build 160830", "10.12.153",
		"5.55.1.2", "2.800.0000000.5.R", "2.800.0000000.5.R, Build Date: 2020-01-14",
		"1.41.00", "2.9.0.4.9340-A0.0", "firmware 6.50.1.2", "", "7", "1.2 build 3 build5",
	}
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, x, y string) {
		a, errA := Parse(x)
		b, errB := Parse(y)
		for _, p := range []struct {
			v   Version
			err error
			in  string
		}{{a, errA, x}, {b, errB, y}} {
			if p.err != nil {
				if !p.v.IsZero() {
					t.Fatalf("Parse(%q) failed but returned %q", p.in, p.v.Canonical())
				}
				continue
			}
			back, err := Parse(p.v.Canonical())
			if err != nil || Compare(back, p.v) != 0 || back.Canonical() != p.v.Canonical() {
				t.Fatalf("Parse(%q).Canonical() = %q reads back as %q, %v", p.in, p.v.Canonical(), back.Canonical(), err)
			}
		}
		ab, ba := Compare(a, b), Compare(b, a)
		if ab != -ba || ab < -1 || ab > 1 {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", x, y, ab, y, x, ba)
		}
		if (ab == 0) != (a.Canonical() == b.Canonical()) {
			t.Fatalf("Compare(%q, %q) = %d but canonical forms %q and %q", x, y, ab, a.Canonical(), b.Canonical())
		}
		if Older(a, b) && ab >= 0 {
			t.Fatalf("Older(%q, %q) but Compare = %d", x, y, ab)
		}
	})
}
