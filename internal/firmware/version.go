// Package firmware answers, for each device, whether its firmware is
// current, behind or no longer supported, and why, in words a facility
// manager can act on. It reads vendors' version strings (Parse, Compare),
// keeps a catalog of the latest versions that a person imports or edits
// (Catalog, with JSON and CSV files), finds the newest version each model
// runs in the inventory (Baseline), and puts these together (Assess).
//
// It is pure: no network, no files of its own, no clock. The caller passes
// the devices, the catalog and today's date.
package firmware

import (
	"errors"
	"fmt"
	"strings"
)

// MaxVersionLength is the longest version string Parse reads. Real ones are
// under 50 characters; anything longer is not a version.
const MaxVersionLength = 256

// ErrNoVersion is the cause of every Parse error: the text holds no version
// number SiteKeeper can read (it is empty, has no digits, or is too long).
var ErrNoVersion = errors.New("no version number")

// Version is a parsed firmware version. The zero Version is what Parse
// returns with an error; Compare puts it before every parsed version.
//
// A version has three parts, compared in this order:
//
//   - the numbers: the first dotted run of digits ("5.7.3" in
//     "V5.7.3 build 220112", "2.800.0000000.5" in "2.800.0000000.5.R"),
//     or, when there is none, the first number standing on its own; text
//     before it ("V", "firmware ") is ignored;
//   - the build: the digits after the word "build" ("build 220112",
//     "Build Date: 2020-01-14" gives 20200114), anywhere in the string;
//   - the suffix: what follows the numbers, other than the build, in lower
//     case with punctuation folded to dots ("r" for ".R", "a0.0" for
//     "-A0.0").
type Version struct {
	raw    string
	nums   []string // digits without leading zeros, "0" for zero
	build  string   // digits without leading zeros, "" when there is none
	suffix string
}

// String is the text the version was parsed from.
func (v Version) String() string { return v.raw }

// IsZero reports whether v holds no version (Parse failed or was not called).
func (v Version) IsZero() bool { return len(v.nums) == 0 }

// Canonical is the form two versions share exactly when Compare says they
// are equal: "5.7.3 build 220112", "2.800.0.5-r", "1.41". Parse reads it
// back to an equal version.
func (v Version) Canonical() string {
	if v.IsZero() {
		return ""
	}
	nums := v.nums
	for len(nums) > 2 && nums[len(nums)-1] == "0" {
		nums = nums[:len(nums)-1]
	}
	var b strings.Builder
	b.WriteString(strings.Join(nums, "."))
	if len(nums) == 1 {
		b.WriteString(".0") // always dotted, so that Parse finds it first
	}
	if v.suffix != "" {
		b.WriteString("-" + v.suffix)
	}
	if v.build != "" {
		b.WriteString(" build " + v.build)
	}
	return b.String()
}

// Parse reads a vendor's firmware version string: "V5.7.3 build 220112",
// "10.12.153", "5.55.1.2", "2.800.0000000.5.R", "1.41.00",
// "2.9.0.4.9340-A0.0", "firmware 6.50.1.2". Every error wraps ErrNoVersion.
//
// Parse never says two vendors' versions are comparable; see Compare.
func Parse(s string) (Version, error) {
	if len(s) > MaxVersionLength {
		return Version{}, fmt.Errorf("firmware version of %d characters: %w", len(s), ErrNoVersion)
	}
	low := asciiLower(s)
	build, rest := cutBuild(low)
	start, end, ok := dottedRun(rest)
	if !ok {
		start, end, ok = loneNumber(rest)
	}
	if !ok {
		return Version{}, fmt.Errorf("firmware version %q: %w", strings.TrimSpace(s), ErrNoVersion)
	}
	v := Version{raw: strings.TrimSpace(s), build: build, suffix: foldSuffix(rest[end:])}
	for _, n := range strings.Split(rest[start:end], ".") {
		v.nums = append(v.nums, trimZeros(n))
	}
	return v, nil
}

// Compare returns -1 when a is older than b, +1 when newer, 0 when equal.
// It is a total order, fit for sorting, and only means something for two
// versions of one manufacturer's model: vendors number differently, and
// one vendor may number two product lines differently.
//
// The numbers are compared one by one as integers of any size; a missing
// number counts as 0, so "1.2" and "1.2.0" are equal and "1.41.00" equals
// "1.41". Then the build: none is older than any. Then the suffix as text,
// none first. A difference only in build presence or suffix is an order,
// not evidence that one is outdated: Older says when it is. The zero
// Version (no version) comes before every other.
func Compare(a, b Version) int {
	if a.IsZero() || b.IsZero() {
		return compareBool(!a.IsZero(), !b.IsZero())
	}
	if c := compareNums(a.nums, b.nums); c != 0 {
		return c
	}
	if c := compareNum(a.build, b.build); c != 0 {
		return c
	}
	return strings.Compare(a.suffix, b.suffix)
}

// Older reports whether a is certainly older than b: a lower number, or the
// same numbers and a lower build where both name one. "V5.7.3" is not older
// than "V5.7.3 build 220112", and "2.800.0.5.R" is not older than
// "2.800.0.5.T": nothing says which came first. Assess calls a device
// behind only when Older says so.
func Older(a, b Version) bool {
	if a.IsZero() || b.IsZero() {
		return false
	}
	if c := compareNums(a.nums, b.nums); c != 0 {
		return c < 0
	}
	return a.build != "" && b.build != "" && compareNum(a.build, b.build) < 0
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

func compareNums(a, b []string) int {
	for i := range max(len(a), len(b)) {
		x, y := "0", "0"
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := compareNum(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// compareNum compares digit strings without leading zeros ("" is less than
// any number): longer is larger, else the text decides.
func compareNum(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func trimZeros(digits string) string {
	if t := strings.TrimLeft(digits, "0"); t != "" {
		return t
	}
	return "0"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// asciiLower lowers ASCII letters only, so that byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// atStart reports whether a number starting at i stands at the start of a
// word, allowing one "v" before it ("V5.7.3", "IPC_v5.7.3").
func atStart(s string, i int) bool {
	if i > 0 && s[i-1] == 'v' {
		i--
	}
	return i == 0 || !isAlnum(s[i-1])
}

// dottedRun finds the first run like 5.7.3 that starts a word.
func dottedRun(s string) (start, end int, ok bool) {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) || !atStart(s, i) {
			continue
		}
		j, parts := i, 0
		for {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			parts++
			if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
				j++
				continue
			}
			break
		}
		if parts > 1 {
			return i, j, true
		}
	}
	return 0, 0, false
}

// loneNumber finds the first number that is a word of its own ("7" in
// "firmware 7", not the 2 in "DS-2CD").
func loneNumber(s string) (start, end int, ok bool) {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) || !atStart(s, i) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == len(s) || !isAlnum(s[j]) {
			return i, j, true
		}
	}
	return 0, 0, false
}

// cutBuild finds the "build" clauses ("build 220112", "build:3", "build
// date: 2020-01-14") in the lower-cased s. It returns the first one's
// digits and s with every clause blanked out, so that no clause is left to
// be read as a suffix.
func cutBuild(s string) (digits, rest string) {
	for {
		d, r, ok := cutOneBuild(s)
		if !ok {
			return digits, s
		}
		if digits == "" {
			digits = d
		}
		s = r
	}
}

func cutOneBuild(s string) (digits, rest string, ok bool) {
	skip := func(i int) int {
		for i < len(s) && (s[i] == ' ' || s[i] == ':' || s[i] == '_' || s[i] == '-' || s[i] == '\t') {
			i++
		}
		return i
	}
	for from := 0; ; {
		k := strings.Index(s[from:], "build")
		if k < 0 {
			return "", s, false
		}
		i := from + k
		from = i + 1
		if i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' {
			continue // "rebuild"
		}
		j := skip(i + len("build"))
		if strings.HasPrefix(s[j:], "date") {
			j = skip(j + len("date"))
		}
		if j >= len(s) || !isDigit(s[j]) {
			continue
		}
		var b strings.Builder
		for ; j < len(s); j++ {
			if isDigit(s[j]) {
				b.WriteByte(s[j])
			} else if !(s[j] == '-' || s[j] == '.' || s[j] == '/') || j+1 == len(s) || !isDigit(s[j+1]) {
				break
			}
		}
		return trimZeros(b.String()), s[:i] + " " + s[j:], true
	}
}

// foldSuffix keeps the ASCII letters and digits of s, each run of anything
// else becoming one dot, with none at either end.
func foldSuffix(s string) string {
	var b strings.Builder
	sep := false
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('.')
		}
		sep = false
		b.WriteByte(s[i])
	}
	return b.String()
}
