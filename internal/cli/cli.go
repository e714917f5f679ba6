// Package cli is SiteKeeper's command line: the subcommands that scripts
// and IT depend on (DESIGN.md, "The command line"). Data goes to stdout,
// progress and errors to stderr; exit codes are 0 ok, 1 failure, 2 usage.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Invocation is a parsed command line: the global options and the
// subcommand with its own arguments. An empty Command means "open the GUI".
type Invocation struct {
	DB      string
	Command string
	Args    []string
	Help    bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands lists what is built, in the order help shows it. A subcommand
// that is not built is not listed.
var commands = []command{
	{"scan", "find and identify the devices on the network and add them", runScan},
	{"devices", "list the devices in the inventory", runDevices},
	{"check", "check every device once: online, degraded or offline, and its firmware", runCheck},
	{"watch", "keep checking the devices until stopped, recording outages (an always-on PC)", runWatch},
	{"plan", "plan when each device is replaced and what it costs each year, for OT and IT", runPlan},
	{"report", "write the replacement report: a PDF for OT or IT, or an XLSX or CSV", runReport},
	{"import", "add devices from a CSV file or a JSON export", runImport},
	{"export", "write the whole inventory as CSV or JSON", runExport},
	{"version", "print the version", runVersion},
}

// Env is what a subcommand runs with.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Version        string
	// DB is the inventory file; empty means inventory.DefaultPath().
	DB string
	// Open opens the inventory; tests replace it.
	Open func(path string) (inventory.Store, error)
	// Now is the clock plans and reports are made by (nil: time.Now).
	Now func() time.Time
}

// usageError is a mistake on the command line: exit 2, with usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Parse splits the command line into global options and a subcommand. The
// global --db may stand before or after the subcommand's name.
func Parse(args []string) (Invocation, error) {
	var inv Invocation
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--db" || a == "-db":
			if i+1 >= len(args) {
				return inv, usagef("--db needs a file name, like --db site.db")
			}
			inv.DB = args[i+1]
			i++
		case strings.HasPrefix(a, "--db=") || strings.HasPrefix(a, "-db="):
			inv.DB = a[strings.IndexByte(a, '=')+1:]
		case a == "-h" || a == "--help" || a == "-help" || a == "help":
			if inv.Command == "" {
				inv.Help = true
			} else {
				inv.Args = append(inv.Args, a)
			}
		case inv.Command == "" && !strings.HasPrefix(a, "-"):
			inv.Command = a
		case inv.Command == "":
			return inv, usagef("unknown option %s", a)
		default:
			inv.Args = append(inv.Args, a)
		}
	}
	if inv.DB == "" && slices.Contains(args, "--db=") {
		return inv, usagef("--db needs a file name, like --db site.db")
	}
	if inv.Command != "" && !slices.ContainsFunc(commands, func(c command) bool { return c.name == inv.Command }) {
		return inv, usagef("unknown command %q", inv.Command)
	}
	return inv, nil
}

// Run runs a parsed subcommand and returns the exit code. Errors are
// explained on stderr in plain words.
func Run(ctx context.Context, inv Invocation, env *Env) int {
	if env.DB == "" {
		env.DB = inv.DB
	}
	if inv.Help || inv.Command == "" {
		Usage(env.Stdout)
		return ExitOK
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == inv.Command })
	err := commands[i].run(ctx, env, inv.Args)
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "sitekeeper %s: %s\nRun 'sitekeeper %s --help' for how to use it.\n", inv.Command, ue.msg, inv.Command)
		return ExitUsage
	}
	msg := explainError(err)
	fmt.Fprintln(env.Stderr, msg)
	var ie *transfer.ImportError
	if d := err.Error(); !strings.Contains(msg, d) && !errors.As(err, &ie) { // an import's problems are listed already
		fmt.Fprintln(env.Stderr, "Details:", d)
	}
	return ExitFailure
}

// Usage prints the overview of commands.
func Usage(w io.Writer) {
	fmt.Fprint(w, `SiteKeeper keeps the cameras, recorders, door controllers and other
networked devices of a site in view.

Usage:
  sitekeeper [--db FILE]              open the window
  sitekeeper [--db FILE] COMMAND ...  run a command

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Options for every command:
  --db FILE   the inventory file (default: SiteKeeper/inventory.db in your
              user settings folder)

Run 'sitekeeper COMMAND --help' for a command's options.
`)
}

// cmdFlags is a subcommand's flag set and its help text.
type cmdFlags struct {
	*flag.FlagSet
	usage func()
}

// newFlags makes a subcommand's flag set. Parse errors become usage errors
// (exit 2, a hint on stderr) instead of exiting; --help prints the usage on
// stdout, once, through parseFlags.
func newFlags(env *Env, name, args, about string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // the flag package calls it on every error; help is printed by parseFlags
	return &cmdFlags{FlagSet: fs, usage: func() {
		fmt.Fprintf(env.Stdout, "Usage: sitekeeper %s %s\n\n%s\n", name, args, about)
		if hasFlags(fs) {
			fmt.Fprintln(env.Stdout, "\nOptions:")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses a subcommand's flags: --help prints its usage and ends
// the command with success; a bad flag is a usage error.
func parseFlags(fs *cmdFlags, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.usage()
		return flag.ErrHelp
	}
	if err != nil {
		return usagef("%v", err)
	}
	return nil
}

// open opens the inventory named by env.DB, or the default one, creating
// it if needed: for commands that write.
func (env *Env) open() (inventory.Store, error) { return env.openStore(true) }

// openExisting opens an inventory that must already exist: a read command
// given a mistyped --db must say so, not create an empty file and print
// nothing.
func (env *Env) openExisting() (inventory.Store, error) { return env.openStore(false) }

func (env *Env) openStore(create bool) (inventory.Store, error) {
	path := env.DB
	if path == "" {
		var err error
		if path, err = inventory.DefaultPath(); err != nil {
			return nil, err
		}
	}
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, &noInventoryError{path}
		}
	}
	if env.Open != nil {
		return env.Open(path)
	}
	db, err := inventory.Open(path)
	if err != nil {
		return nil, err
	}
	if db.Backup != "" {
		fmt.Fprintf(env.Stderr, "Upgraded the inventory; the old file was kept as %s\n", db.Backup)
	}
	return db, nil
}

// noInventoryError: a read command found no inventory file.
type noInventoryError struct{ path string }

func (e *noInventoryError) Error() string { return "no inventory at " + e.path }
