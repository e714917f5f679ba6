// Command sitekeeper keeps the networked security and OT devices of a site in
// view. Without a command it opens the window; with one it runs it (see
// internal/cli). This file is the composition root: it parses the command
// line, opens the store, wires the services, runs the GUI or a subcommand,
// and closes down in that order. Nothing else lives here.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	fyneapp "fyne.io/fyne/v2/app"

	"sitekeeper/app"
	"sitekeeper/internal/cli"
	"sitekeeper/internal/console"
	"sitekeeper/internal/credentials"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/watch"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run())
}

func run() int {
	inv, err := cli.Parse(os.Args[1:])
	if inv.Command != "" || inv.Help || err != nil {
		// A GUI-subsystem .exe has no console of its own; borrow the
		// one it was started from so cmd.exe and PowerShell see output.
		console.Attach()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "sitekeeper: %v\n\n", err)
		cli.Usage(os.Stderr)
		return cli.ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if inv.Command != "" || inv.Help {
		return cli.Run(ctx, inv, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Version: version})
	}
	return runGUI(ctx, inv.DB)
}

// runGUI opens the inventory and the window. If the inventory cannot be
// opened, the window says why and what to do instead of the program
// vanishing without a word.
func runGUI(ctx context.Context, path string) int {
	a := fyneapp.NewWithID(app.ID)
	if path == "" {
		p, err := inventory.DefaultPath()
		if err != nil {
			app.ShowStartupError(a, err)
			return cli.ExitFailure
		}
		path = p
	}
	db, err := inventory.Open(path)
	if err != nil {
		app.ShowStartupError(a, err)
		return cli.ExitFailure
	}
	defer db.Close()
	logins := credentials.Open(ctx, credentials.Options{}) // session only, and says why, without a credential store
	// ui is set before the checks start (in ShowAndRun), so OnChange finds it.
	var ui *app.UI
	// The checks start with the intervals, pauses and SNMP community saved
	// in Settings; the Settings view applies changes to them (Checks).
	settings, _ := db.Settings(ctx) // unreadable: the defaults, and the window says why when it loads them
	checks := watch.New(db, watch.HealthChecker{SNMP: watch.NewCommunity(settings.Checks.SNMPCommunity)}, watch.ConfigFrom(watch.Config{
		OnChange: func(changes []watch.StatusChange) { ui.StatusChanged(changes) }, // alerts
	}, settings.Checks))
	ui = app.New(a, db, app.TransferImporter(db), app.Options{DBPath: path, Version: version,
		Scanner: app.DiscoveryScanner(), Logins: logins, Watch: checks.Run, Checks: checks, LandOnDashboard: true})
	stopQuit := context.AfterFunc(ctx, ui.Quit) // Ctrl-C closes the window like a click would
	defer stopQuit()
	ui.ShowAndRun()
	ui.Wait() // before the deferred db.Close: no save or import is cut short
	return cli.ExitOK
}
