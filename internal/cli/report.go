package cli

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"sitekeeper/internal/atomicfile"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/report"
)

// unknownSiteError: --site names no site of the inventory.
type unknownSiteError struct {
	site  string
	sites []string
}

func (e *unknownSiteError) Error() string { return fmt.Sprintf("no site called %q", e.site) }

// logoError: --logo is not a picture the report can use.
type logoError struct {
	path string
	err  error
}

func (e *logoError) Error() string { return fmt.Sprintf("logo %s: %v", e.path, e.err) }
func (e *logoError) Unwrap() error { return e.err }

// outDirError: the folder --out names does not exist.
type outDirError struct{ dir string }

func (e *outDirError) Error() string { return "folder " + e.dir + " does not exist" }

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "report", "--audience ot|it --out FILE.pdf|FILE.xlsx|FILE.csv [--site S] [--from DATE] [--years N] [--strategy S] [--page-size a4|letter] [--consultant NAME] [--logo FILE.png]",
		"Writes the replacement report. FILE.pdf is the facility manager's plain\nreport (--audience ot) or IT's detailed one (--audience it); FILE.xlsx is\na workbook of the plan, the budget, the strategies and the devices;\nFILE.csv is the plan, one device a row. An existing file is replaced\nonly once the new one is complete.")
	audience := fs.String("audience", "", "ot (the facility manager) or it (IT); needed for a PDF")
	outName := fs.String("out", "", "the file to write: .pdf, .xlsx or .csv")
	site := fs.String("site", "", "only this site's devices (default: every site)")
	pageSize := fs.String("page-size", "a4", "a4 or letter")
	consultant := fs.String("consultant", "", "your name or firm, printed on every page")
	logoPath := fs.String("logo", "", "a PNG or JPEG logo printed on every page")
	pf := addPolicyFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	if *outName == "" {
		return usagef("say where to write the report with --out, like --out report.pdf")
	}
	kind := strings.ToLower(filepath.Ext(*outName))
	if kind != ".pdf" && kind != ".xlsx" && kind != ".csv" {
		return usagef("--out must end in .pdf, .xlsx or .csv, which says what to write; %q does not", *outName)
	}
	aud := strings.ToLower(*audience)
	switch {
	case kind == ".pdf" && aud == "":
		return usagef("say who the PDF is for: --audience ot (the facility manager) or --audience it")
	case aud != "" && aud != report.AudienceOT && aud != report.AudienceIT:
		return usagef("--audience must be ot (the facility manager) or it, not %q", *audience)
	}
	size := strings.ToLower(*pageSize)
	if size != "a4" && size != "letter" {
		return usagef("--page-size must be a4 or letter, not %q", *pageSize)
	}
	pol, err := pf.policy(fs)
	if err != nil {
		return err
	}
	// Everything a person can get wrong is checked before the inventory
	// is read, so that a mistake costs nothing.
	if dir := filepath.Dir(*outName); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return &outDirError{dir}
		}
	}
	var logo []byte
	if *logoPath != "" {
		if logo, err = readLogo(*logoPath); err != nil {
			return err
		}
	}

	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	pol = pf.withSettings(pol, settings.Plan)
	siteName := ""
	if *site != "" {
		if siteName, err = findSite(ctx, st, *site); err != nil {
			return err
		}
	}
	cat, err := loadCatalog(env)
	if err != nil {
		return err
	}
	now := env.now()
	data, err := report.Gather(ctx, st, cat, pol, siteName, now)
	if err != nil {
		return err
	}
	opt := report.Options{PageSize: map[string]string{"a4": "A4", "letter": "Letter"}[size], Organisation: settings.Organisation,
		Site: siteName, Consultant: strings.TrimSpace(*consultant), Logo: logo, Generated: now,
		Currency: cmp.Or(settings.Currency, inventory.DefaultCurrency)}

	var what string
	var buf bytes.Buffer
	switch kind {
	case ".pdf":
		fmt.Fprintf(env.Stderr, "Making the %s report of %s ...\n", strings.ToUpper(aud), plural(len(data.Plan.Items), "active device", "active devices"))
		if err := report.Write(&buf, aud, data, opt); err != nil {
			return err
		}
		what = fmt.Sprintf("the %s report (%s)", strings.ToUpper(aud), plural(PageCount(buf.Bytes()), "page", "pages"))
	case ".xlsx":
		if err := report.WriteXLSX(&buf, data, opt); err != nil {
			return err
		}
		what = "the workbook (sheets Plan, Budget, Strategies, Devices)"
	case ".csv":
		if err := report.WritePlanCSV(&buf, data.Plan); err != nil {
			return err
		}
		what = fmt.Sprintf("the plan (%s)", plural(len(data.Plan.Items), "device", "devices"))
	}
	if err := atomicfile.Write(*outName, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Wrote %s to %s.\n", what, *outName)
	return nil
}

// readLogo reads a PNG or JPEG logo, checked before any work is done.
func readLogo(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &logoError{path, err}
	}
	if err := report.CheckLogo(b); err != nil {
		return nil, &logoError{path, err}
	}
	return b, nil
}

// findSite is the inventory's own spelling of site (any case), from the
// sites recorded and the sites devices name; else an error naming them.
func findSite(ctx context.Context, st inventory.Store, site string) (string, error) {
	sites, err := st.Sites(ctx)
	if err != nil {
		return "", err
	}
	devices, err := st.Devices(ctx)
	if err != nil {
		return "", err
	}
	var names []string
	add := func(n string) {
		if n = strings.TrimSpace(n); n != "" && !slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
			names = append(names, n)
		}
	}
	for _, s := range sites {
		add(s.Name)
	}
	for _, d := range devices {
		add(d.Known.Site)
	}
	for _, n := range names {
		if strings.EqualFold(n, strings.TrimSpace(site)) {
			return n, nil
		}
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return "", &unknownSiteError{site, names}
}

var pageObject = regexp.MustCompile(`/Type\s*/Page\b`)

// PageCount counts the pages of a PDF written by the report package (its
// page objects are not in compressed object streams).
func PageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// explainReportError words the report command's own errors; ok is false
// for any other error.
func explainReportError(err error) (string, bool) {
	var us *unknownSiteError
	var le *logoError
	var od *outDirError
	switch {
	case errors.As(err, &us):
		if len(us.sites) == 0 {
			return fmt.Sprintf("There is no site called %q: no device in this inventory has a site yet. Leave --site out to report on every device.", us.site), true
		}
		return fmt.Sprintf("There is no site called %q in this inventory. The sites are: %s. Give one of them to --site, or leave --site out for every site.", us.site, listed(us.sites)), true
	case errors.As(err, &le):
		if errors.Is(le.err, fs.ErrNotExist) {
			return fmt.Sprintf("The logo %s does not exist. Check the name and the folder given to --logo.", le.path), true
		}
		return fmt.Sprintf("The logo %s is not a PNG or JPEG picture that SiteKeeper can read. Save it as PNG (any picture program can) and give that file to --logo.", le.path), true
	case errors.As(err, &od):
		return fmt.Sprintf("The folder %s does not exist, so the report cannot be written there. Create the folder first, or give --out a file in a folder that exists.", od.dir), true
	}
	return "", false
}
