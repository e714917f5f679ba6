package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

// Explain turns an error into the sentences a person reads: what happened and
// what to do next. It is the one place where the GUI words errors; the Go
// error text is never shown except as a "Details" line under it.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	// errors.Join from inventory.Validate: explain each part on its own line.
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			if s := Explain(e); s != "" && !contains(lines, s) {
				lines = append(lines, s)
			}
		}
		return strings.Join(lines, "\n")
	}
	var fe *inventory.FieldError
	var ie *transfer.ImportError
	var ce *credentials.FieldError
	var se *credentials.StoreError
	switch {
	case errors.As(err, &ce):
		return explainLoginField(ce)
	case errors.As(err, &se):
		why, todo := explainStore(se)
		return fmt.Sprintf("Nothing was changed: %s. To fix it, %s", why, todo)
	case errors.As(err, &ie):
		return explainImport(ie)
	case errors.As(err, &fe):
		return explainField(fe)
	case errors.Is(err, inventory.ErrLocked):
		return "Another SiteKeeper window, or a sitekeeper command, has this inventory open. Close it, then try again."
	case errors.Is(err, inventory.ErrNotFound):
		return "That device is no longer in the inventory; it may have been removed in the meantime. Close this and look at the list again."
	case errors.Is(err, inventory.ErrCorrupt):
		return "The inventory file is damaged, or it is not a SiteKeeper inventory. SiteKeeper has not changed it. Put back a backup copy of the file, or ask whoever set up SiteKeeper for help."
	case errors.Is(err, inventory.ErrNewerSchema):
		return "This inventory was saved by a newer version of SiteKeeper. Install that version to open it; this one leaves the file untouched."
	case errors.Is(err, wsd.ErrNoInterfaces):
		return "This computer has no network connection SiteKeeper can search from. Connect it to the site's network by cable or Wi-Fi, then scan again."
	case errors.Is(err, context.Canceled):
		return "Stopped before it finished. Nothing was changed."
	case errors.Is(err, context.DeadlineExceeded):
		return "This took too long and was stopped. Nothing was changed; try again."
	case errors.Is(err, fs.ErrNotExist):
		return "SiteKeeper cannot find that file. It may have been moved or renamed; choose it again."
	case errors.Is(err, fs.ErrPermission):
		return "SiteKeeper is not allowed to open that file. Copy it to your Documents folder and choose the copy."
	}
	return "SiteKeeper could not finish this. Try again; if it keeps happening, send the details below to whoever looks after SiteKeeper for you."
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// explainImport words a refused import. transfer's own messages are
// already plain words, so a problem with the whole file is shown as it is.
func explainImport(ie *transfer.ImportError) string {
	n := 0
	for _, p := range ie.Problems {
		if p.Line == 0 {
			return "Nothing was imported: " + strings.TrimSuffix(p.Message, ".") + "."
		}
		n++
	}
	rows := "1 row of the file has a problem"
	if n != 1 {
		rows = fmt.Sprintf("%d rows of the file have problems", n)
	}
	return rows + ", so nothing was imported. Fix them in the spreadsheet and import it again, or import only the good rows."
}

// fieldNames are the inventory's field names as a person says them.
var fieldNames = map[string]string{
	"mac":                 "MAC address",
	"ip":                  "IP address",
	"date":                "date",
	"cost":                "amount",
	"replacement_cost":    "replacement cost",
	"budget_owner":        "budget owner",
	"expected_life_years": "expected life",
	"warranty_end":        "warranty end",
	"status":              "status",
	"strategy":            "replacement strategy",
	"class":               "device type",
	"currency":            "currency",
	"site":                "site",
	"successor":           "device that replaced it",
}

func explainField(fe *inventory.FieldError) string {
	name := fieldNames[fe.Field]
	if name == "" {
		name = strings.ReplaceAll(fe.Field, "_", " ")
	}
	if fe.Value == "" {
		return fmt.Sprintf("The %s %s.", name, fe.Reason)
	}
	return fmt.Sprintf("The %s “%s” %s.", name, fe.Value, fe.Reason)
}

// fieldHint is the short message shown next to a form field whose text a
// parser refused: how to write it, not what went wrong inside.
func fieldHint(kind fieldKind, err error) string {
	var fe *inventory.FieldError
	reason := ""
	if errors.As(err, &fe) {
		reason = fe.Reason
	}
	switch kind {
	case kindDate:
		if strings.HasPrefix(reason, "could be ") {
			// "could be 2027-05-04 or 2027-04-05; write it like ..."
			amb := strings.TrimPrefix(strings.SplitN(reason, ";", 2)[0], "could be ")
			return "This could be " + amb + ". Write the date like 2027-03-31."
		}
		if strings.HasPrefix(reason, "needs a four-digit year") {
			return "Write the year with four digits, like 2027-03-31."
		}
		return "Write the date like 2027-03-31."
	case kindMAC:
		return "Write the MAC address like 00:1a:2b:3c:4d:5e."
	case kindMoney:
		if strings.HasPrefix(reason, "is negative") {
			return "A cost cannot be negative."
		}
		if strings.Contains(reason, "another currency") {
			return "This amount is in another currency than the inventory's. Convert it first, or change the currency in Settings."
		}
		return "Write the amount like 1250.00."
	case kindBudget:
		if strings.HasPrefix(reason, "adds up to") {
			pct := strings.TrimPrefix(strings.SplitN(reason, ";", 2)[0], "adds up to ")
			return "These shares add up to " + pct + "; they must add up to 100%."
		}
		return "Write OT, IT, or a split like OT:60,IT:40."
	case kindYears:
		return "Write a whole number of years between 0 and 50, like 8."
	case kindCurrency:
		return "Write the three-letter currency code, like EUR or USD."
	case kindDevice:
		if strings.Contains(reason, "more than one") {
			return "More than one device has this name. Type the ID shown at the top of that device's form."
		}
		return "No device in the inventory has this name. Type the name of the device that took over, or leave this empty."
	}
	if fe != nil {
		return explainField(fe)
	}
	return Explain(err)
}

// fieldKind is what sort of text a form field holds, for fieldHint.
type fieldKind int

const (
	kindText fieldKind = iota
	kindDate
	kindMAC
	kindMoney
	kindBudget
	kindYears
	kindCurrency
	kindDevice // the name or ID of another device
)

// storeName is where this computer keeps passwords, as its owner knows it.
func storeName() string {
	switch runtime.GOOS {
	case "windows":
		return "Windows Credential Manager"
	case "darwin":
		return "your Mac's Keychain"
	}
	return "your desktop's keyring (GNOME Keyring or KWallet)"
}

// explainStore says why logins are kept for this session only (err is a
// credentials.Vault's StoreErr, or a *credentials.StoreError from saving),
// and what to do about it; todo is a whole sentence without its "To keep
// them," or "To fix it,".
func explainStore(err error) (why, todo string) {
	switch {
	case errors.Is(err, credentials.ErrSessionOnly):
		return "SiteKeeper was started without a password store", "start SiteKeeper normally and add them again."
	case errors.Is(err, credentials.ErrCorrupt):
		return "the logins SiteKeeper saved earlier in " + storeName() + " cannot be read (a newer SiteKeeper saved them, or they are damaged)",
			"open them with the newer SiteKeeper, or delete the entries named SiteKeeper in " + storeName() + " and add the logins again."
	case errors.Is(err, context.DeadlineExceeded):
		return storeName() + " did not answer; it may be locked",
			"close SiteKeeper, open it again and unlock " + storeName() + " if it asks, then add them again."
	}
	switch runtime.GOOS {
	case "windows":
		return "Windows Credential Manager refused SiteKeeper",
			"restart the computer and open SiteKeeper again. If it keeps happening, ask your IT contact whether Credential Manager is blocked on this computer."
	case "darwin":
		return "your Mac's Keychain refused SiteKeeper",
			"unlock the login keychain in Keychain Access, then open SiteKeeper again and add them again."
	}
	return "this computer has no keyring running (GNOME Keyring or KWallet)",
		"sign in to a desktop that runs one, or ask whoever looks after this computer to install GNOME Keyring, then add them again."
}

// explainLoginField words a login that cannot be saved as it is.
func explainLoginField(fe *credentials.FieldError) string {
	switch fe.Field {
	case "sets":
		return fmt.Sprintf("SiteKeeper keeps at most %d logins. Remove the ones no device uses any more, then add this one.", credentials.MaxSets)
	case "username":
		return fmt.Sprintf("The user name %s. Write the one the camera or recorder asks for.", fe.Reason)
	case "password":
		return fmt.Sprintf("The password %s. Write the one the camera or recorder asks for.", fe.Reason)
	case "label":
		return fmt.Sprintf("The name %s. A short name is enough to tell logins apart.", fe.Reason)
	}
	return "This login is too long to keep in " + storeName() + ". Shorten the name or the site."
}
