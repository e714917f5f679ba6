package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sitekeeper/internal/atomicfile"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version", "", "Prints the version of SiteKeeper.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(env.Stdout, "sitekeeper %s\n", env.Version)
	return nil
}

func runDevices(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "devices", "[--json | --csv]",
		"Lists the devices in the inventory: a table by default, or one JSON\ndocument or CSV for other programs.")
	asJSON := fs.Bool("json", false, "print one JSON document")
	asCSV := fs.Bool("csv", false, "print CSV with the import header")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("choose one of --json and --csv")
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	devices, err := st.Devices(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(env.Stdout)
	switch {
	case *asJSON:
		views := make([]transfer.DeviceView, len(devices))
		for i := range devices {
			views[i] = transfer.View(&devices[i])
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(views)
	case *asCSV:
		err = transfer.WriteCSV(out, devices)
	default:
		err = writeTable(out, devices)
	}
	if err != nil {
		return err
	}
	return out.Flush()
}

// writeTable prints a plain table for a person at a terminal.
func writeTable(w io.Writer, devices []inventory.Device) error {
	if len(devices) == 0 {
		_, err := fmt.Fprintln(w, "The inventory is empty. Add devices with 'sitekeeper import FILE.csv'.")
		return err
	}
	// A person reads the table: by site, then name, as the window sorts it.
	slices.SortStableFunc(devices, func(a, b inventory.Device) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Known.Site), strings.ToLower(b.Known.Site)),
			cmp.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())))
	})
	rows := [][]string{{"NAME", "CLASS", "SITE", "IP", "MAC", "MANUFACTURER", "MODEL", "FIRMWARE", "STATUS"}}
	for i := range devices {
		d := &devices[i]
		class := ""
		if c := d.Class(); c != "" {
			class = c.Label()
		}
		rows = append(rows, []string{d.DisplayName(), class, d.Known.Site, d.IP(), d.MAC(),
			d.Manufacturer(), d.Model(), d.Firmware(), d.State().Label()})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(c))+2))
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\n%d devices\n", len(devices))
	return err
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "import", "[--skip-bad] FILE.csv|FILE.json",
		"Adds the devices in a CSV file (columns: "+transfer.Header+")\nor a JSON export to the inventory. Nothing is imported unless every row is\nvalid; each bad row is listed with its line number and what is wrong.")
	skipBad := fs.Bool("skip-bad", false, "import the good rows and list the bad ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give exactly one file to import")
	}
	name := fs.Arg(0)
	var r io.Reader
	if name == "-" {
		r = env.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	st, err := env.open()
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(env.Stderr, "Importing %s ...\n", filepath.Base(name))
	sum, err := transfer.Import(ctx, st, r, name, transfer.Options{SkipBad: *skipBad})
	for _, w := range sum.Warnings {
		fmt.Fprintln(env.Stderr, "Note:", w)
	}
	var ie *transfer.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintln(env.Stderr, p)
		}
	}
	if err != nil {
		return err
	}
	for _, p := range sum.Skipped {
		fmt.Fprintln(env.Stderr, "Skipped", p)
	}
	fmt.Fprintf(env.Stderr, "Imported %s", plural(sum.Imported, "device", "devices"))
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(env.Stderr, "; skipped %d rows listed above", len(sum.Skipped))
	}
	fmt.Fprintln(env.Stderr, ".")
	return nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "--format csv|json [--out FILE]",
		"Writes the whole inventory. CSV has the import columns and opens in a\nspreadsheet; JSON keeps everything, history included, and imports back\ninto an empty inventory exactly.")
	format := fs.String("format", "", "csv or json")
	outName := fs.String("out", "", "write to FILE instead of the standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	write := map[string]func(context.Context, inventory.Store, io.Writer) error{
		"csv": transfer.ExportCSV, "json": transfer.ExportJSON,
	}[strings.ToLower(*format)]
	if write == nil {
		return usagef("--format must be csv or json")
	}
	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	if *outName == "" {
		out := bufio.NewWriter(env.Stdout)
		if err := write(ctx, st, out); err != nil {
			return err
		}
		return out.Flush()
	}
	return atomicfile.Write(*outName, func(w io.Writer) error { return write(ctx, st, w) })
}
