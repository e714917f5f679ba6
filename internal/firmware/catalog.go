package firmware

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"sitekeeper/internal/inventory"
)

// Entry is what the catalog says about one manufacturer's model, or a
// family of models: the latest firmware, when it came out, when support
// ends, and where a person can check all of that.
type Entry struct {
	Manufacturer string `json:"manufacturer"`
	// Model is a model name ("DS-2CD2142FWD-I") or a pattern in which *
	// stands for any run of characters and ? for any one ("DS-2CD2*"),
	// matched without regard to case.
	Model         string         `json:"model"`
	LatestVersion string         `json:"latest_version"`
	ReleaseDate   inventory.Date `json:"release_date,omitzero"`
	// EndOfSupport is the day the manufacturer stops fixing the model's
	// firmware, or the zero Date when it has not announced one.
	EndOfSupport inventory.Date `json:"end_of_support,omitzero"`
	// SourceURL is the public page these facts come from. Every entry has
	// one: a catalog only ships what a person can check.
	SourceURL string `json:"source_url"`
	Notes     string `json:"notes,omitempty"`

	latest Version
	mfr    string // manufacturerKey(Manufacturer)
	glob   string // Model, lower case
}

// Latest is the parsed LatestVersion.
func (e *Entry) Latest() Version { return e.latest }

// check validates e and fills in its parsed fields. Its errors are
// *inventory.FieldError, one per wrong value, joined.
func (e *Entry) check() error {
	var errs []error
	bad := func(field, value, reason string) {
		errs = append(errs, &inventory.FieldError{Field: field, Value: value, Reason: reason})
	}
	e.Manufacturer, e.Model = strings.TrimSpace(e.Manufacturer), strings.TrimSpace(e.Model)
	e.LatestVersion, e.SourceURL = strings.TrimSpace(e.LatestVersion), strings.TrimSpace(e.SourceURL)
	if e.mfr = manufacturerKey(e.Manufacturer); e.mfr == "" {
		bad("manufacturer", e.Manufacturer, "is missing; write the manufacturer's name, such as Axis or Hikvision")
	}
	if reason := checkPattern(e.Model); reason != "" {
		bad("model", e.Model, reason)
	}
	e.glob = strings.ToLower(e.Model)
	v, err := Parse(e.LatestVersion)
	switch {
	case e.LatestVersion == "":
		bad("latest_version", "", "is missing; write the newest firmware version, such as 5.7.3")
	case err != nil:
		bad("latest_version", e.LatestVersion, "has no version number SiteKeeper can read; write it as the device shows it, such as V5.7.3 build 220112")
	}
	e.latest = v
	if reason := checkSource(e.SourceURL); reason != "" {
		bad("source_url", e.SourceURL, reason)
	}
	if !e.ReleaseDate.IsZero() && !e.EndOfSupport.IsZero() && e.EndOfSupport.Before(e.ReleaseDate) {
		bad("end_of_support", e.EndOfSupport.String(), "is before the release date "+e.ReleaseDate.String()+"; check both dates")
	}
	return errors.Join(errs...)
}

// checkPattern says what is wrong with a model pattern, or "".
func checkPattern(p string) string {
	switch {
	case p == "":
		return "is missing; write the model, or a pattern such as DS-2CD2* for a family"
	case strings.Trim(p, "*? ") == "":
		return "matches every model; versions of different models cannot be compared, so name the model or its family, such as DS-2CD2*"
	case strings.ContainsAny(p, "[]\\"):
		return "has [, ] or \\, which patterns do not use; use * for any run of characters and ? for any one"
	case strings.ContainsFunc(p, func(r rune) bool { return r < ' ' }):
		return "has a control character; retype the model"
	}
	return ""
}

// checkSource says what is wrong with a source URL, or "".
func checkSource(s string) string {
	if s == "" {
		return "is missing; every entry needs the public web page its facts come from (the vendor's release notes or end-of-life notice)"
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "is not a web address; write it like https://www.example.com/firmware"
	}
	return ""
}

// Catalog is a list of entries, as a person imported or edited it. It is
// immutable once built, so it can be shared between goroutines.
type Catalog struct {
	entries []Entry
}

// New builds a catalog from entries, which it copies, as a person edited
// them. Entries with a wrong value, or with the manufacturer and model of
// an earlier one, are refused with a *LoadError that names them by
// position (entry 1 is the first).
func New(entries []Entry) (*Catalog, error) {
	c := &Catalog{}
	var problems []Problem
	for i, e := range entries {
		err := e.check()
		if j := c.find(&e); err == nil && j >= 0 {
			err = duplicate(&e, fmt.Sprintf("entry %d", j+1))
		}
		if err != nil {
			problems = append(problems, Problem{Message: fmt.Sprintf("entry %d: %s", i+1, strings.Join(messages(err), "; also "))})
			continue
		}
		c.entries = append(c.entries, e)
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return c, nil
}

// find returns the index of the entry with e's manufacturer and model
// pattern, or -1.
func (c *Catalog) find(e *Entry) int {
	for i := range c.entries {
		if o := &c.entries[i]; o.mfr == e.mfr && o.glob == e.glob {
			return i
		}
	}
	return -1
}

func duplicate(e *Entry, where string) error {
	return &inventory.FieldError{Field: "model", Value: e.Model, Reason: "is listed for " + e.Manufacturer + " already, at " + where + "; keep one entry"}
}

// Default is the catalog SiteKeeper ships: empty. The firmware facts of a
// catalog must come from a public source a person can check, and
// SiteKeeper is built without the web, so it ships none; a person imports
// a catalog file (see Load).
func Default() *Catalog { return &Catalog{} }

// Len is the number of entries.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.entries)
}

// Entries returns a copy of the entries, in the order they were read.
func (c *Catalog) Entries() []Entry {
	if c == nil {
		return nil
	}
	return append([]Entry(nil), c.entries...)
}

// Lookup finds the entry for a manufacturer's model. The manufacturer is
// matched as CanonicalManufacturer folds it (with the aliases in alias.go);
// the model against each entry's pattern without regard to case, also with
// the manufacturer's name taken off its front ("AXIS P1448-LE" matches
// "P1448-LE"). Of several matching entries the most specific wins: an exact
// model before any pattern, then the pattern with the most characters
// other than * and ?, then the one read first. A nil Catalog has no entries.
func (c *Catalog) Lookup(manufacturer, model string) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	mfr := manufacturerKey(manufacturer)
	names := modelNames(manufacturer, model)
	if mfr == "" || len(names) == 0 {
		return Entry{}, false
	}
	best, bestScore := -1, -1
	for i := range c.entries {
		e := &c.entries[i]
		if e.mfr != mfr || !matchesAny(e.glob, names) {
			continue
		}
		if s := specificity(e.glob); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return Entry{}, false
	}
	return c.entries[best], true
}

// specificity ranks patterns: an exact model above every pattern, then by
// the number of literal characters.
func specificity(glob string) int {
	literal := len(glob) - strings.Count(glob, "*") - strings.Count(glob, "?")
	if literal == len(glob) {
		return 1 << 20
	}
	return literal
}

// modelNames is the model in lower case, and again without the
// manufacturer's name in front when it has it.
func modelNames(manufacturer, model string) []string {
	m := strings.ToLower(strings.TrimSpace(model))
	if m == "" {
		return nil
	}
	names := []string{m}
	for _, prefix := range []string{strings.ToLower(strings.TrimSpace(manufacturer)), manufacturerKey(manufacturer)} {
		if rest, ok := strings.CutPrefix(m, prefix); ok && prefix != "" && strings.HasPrefix(rest, " ") {
			names = append(names, strings.TrimSpace(rest))
		}
	}
	return names
}

func matchesAny(glob string, names []string) bool {
	for _, n := range names {
		if match(glob, n) {
			return true
		}
	}
	return false
}

// match reports whether name matches glob, in which * stands for any run of
// characters and ? for any one. Unlike path.Match, * also crosses "/",
// which model names contain ("P3245-LV/LVE").
func match(globText, nameText string) bool {
	glob, name := []rune(globText), []rune(nameText)
	// Iterative, with backtracking to the last star only: linear in
	// practice and never exponential.
	g, n, star, mark := 0, 0, -1, 0
	for n < len(name) {
		switch {
		case g < len(glob) && glob[g] == '*':
			star, mark = g, n
			g++
		case g < len(glob) && (glob[g] == '?' || glob[g] == name[n]):
			g++
			n++
		case star >= 0:
			g, mark = star+1, mark+1
			n = mark
		default:
			return false
		}
	}
	for g < len(glob) && glob[g] == '*' {
		g++
	}
	return g == len(glob)
}
