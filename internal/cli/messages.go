package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"syscall"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/credentials"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

// explainError is the one place the command line words errors for a
// person: what went wrong and what to do next. (The window words them in
// app/messages.go, with advice that fits a window.) The technical cause,
// where it helps support, is printed by Run as a "Details:" line.
func explainError(err error) string {
	if err == nil {
		return ""
	}
	if msg, ok := explainReportError(err); ok {
		return msg
	}
	path := ""
	var pe *inventory.PathError
	if errors.As(err, &pe) {
		path = pe.Path
	}
	var fe *inventory.FieldError
	var ie *transfer.ImportError
	var ni *noInventoryError
	var sn *scanNotStartedError
	var mp *mailPasswordError
	switch {
	case errors.Is(err, alert.ErrNoMailPassword):
		return "The alerts are stored, but not e-mailed: no password is saved for the mail server. Type it in the SiteKeeper window (Settings, Alerts) and save; this command reads it from there."
	case errors.As(err, &mp):
		return "The alerts are stored, but not e-mailed: SiteKeeper cannot read the mail password here, because " + explainStore(mp.Err) + "."
	case errors.As(err, &sn):
		return "Nothing was searched. " + strings.Join(sn.advice, " ")
	case errors.As(err, &ni):
		return fmt.Sprintf("There is no inventory at %s yet. Add devices with 'sitekeeper import FILE.csv' (or open the window), or check the --db file name.", ni.path)
	case errors.Is(err, inventory.ErrLocked):
		return fmt.Sprintf("Another SiteKeeper window or command is using the inventory%s. Close it, then try again.", in(path))
	case errors.Is(err, inventory.ErrNewerSchema):
		return fmt.Sprintf("The inventory%s was saved by a newer version of SiteKeeper, so this version cannot read it. It has not been changed. Install the newer SiteKeeper to open it.", in(path))
	case errors.Is(err, inventory.ErrCorrupt):
		return fmt.Sprintf("The inventory file%s is damaged or is not a SiteKeeper inventory. SiteKeeper has not changed it. Put back a backup copy of it, or start a new inventory with --db and a new file name.", in(path))
	case errors.Is(err, inventory.ErrNotFound):
		return "No device with that ID is in the inventory. List the devices with 'sitekeeper devices' to see their IDs."
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			if p.Line == 0 { // the file as a whole: its own words say what to do
				return "Nothing was imported: " + strings.TrimSuffix(p.Message, ".") + "."
			}
		}
		return fmt.Sprintf("Nothing was imported: %s (listed above). Fix them in the file and import it again, or add --skip-bad to import only the good rows.", plural(len(ie.Problems), "row has a problem", "rows have problems"))
	case errors.As(err, &fe):
		if fe.Value == "" {
			return fmt.Sprintf("The %s %s.", strings.ReplaceAll(fe.Field, "_", " "), fe.Reason)
		}
		return fmt.Sprintf("The %s %q %s.", strings.ReplaceAll(fe.Field, "_", " "), fe.Value, fe.Reason)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("SiteKeeper is not allowed to open %s. Check that the file is not read-only and that you may write to its folder.", orThisFile(err))
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("%s does not exist. Check the name and the folder.", orThisFile(err))
	case errors.Is(err, syscall.EISDIR):
		return fmt.Sprintf("%s is a folder, not a file. Give the name of a file.", orThisFile(err))
	case errors.Is(err, context.Canceled):
		return "Stopped. Nothing was changed."
	case errors.Is(err, context.DeadlineExceeded):
		return "That took too long and was stopped. Try again; if it keeps happening, the computer may be busy."
	}
	return "SiteKeeper could not finish this. Try again; if it keeps happening, send the details below to whoever looks after SiteKeeper for you."
}

func in(path string) string {
	if path == "" {
		return ""
	}
	return " (" + path + ")"
}

func orThisFile(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.New
	}
	return "the file"
}

// pick is one when n is 1, else many.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listed joins the first ten of items, and says how many more there are.
func listed(items []string) string {
	const most = 10
	if len(items) <= most {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:most], ", ") + fmt.Sprintf(" and %d more", len(items)-most)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// needLoginAdvice is what to do about devices that want a login.
const needLoginAdvice = "Save their logins in the SiteKeeper window (Settings, Camera and recorder logins) and scan again, " +
	"or scan with --credentials FILE (lines of username:password)"

// explainStore says why the logins saved in SiteKeeper are out of reach:
// the error of a credentials.Vault that is session only.
func explainStore(err error) string {
	switch {
	case errors.Is(err, credentials.ErrCorrupt):
		return "the logins SiteKeeper keeps in this computer's credential store are damaged or were saved by a newer SiteKeeper"
	case errors.Is(err, context.DeadlineExceeded):
		return "this computer's credential store did not answer; it may be locked and waiting for your password"
	}
	switch runtime.GOOS {
	case "windows":
		return "Windows Credential Manager refused SiteKeeper"
	case "darwin":
		return "the macOS Keychain refused SiteKeeper; unlock the login keychain in Keychain Access"
	}
	return "this computer has no credential store running (GNOME Keyring or KWallet, through Secret Service); on a server, use --credentials FILE"
}
