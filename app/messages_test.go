package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

func TestExplain(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("open /x/inventory.db: %w", err) }
	_, dateErr := inventory.ParseDate("31/31/2027")
	_, macErr := inventory.ParseMAC("00:1a")
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"locked", wrap(inventory.ErrLocked), "Another SiteKeeper window, or a sitekeeper command, has this inventory open. Close it, then try again."},
		{"not found", wrap(inventory.ErrNotFound), "That device is no longer in the inventory"},
		{"corrupt", wrap(inventory.ErrCorrupt), "The inventory file is damaged"},
		{"newer", wrap(inventory.ErrNewerSchema), "This inventory was saved by a newer version of SiteKeeper. Install that version"},
		{"path error", &inventory.PathError{Op: "open", Path: "/x", Err: inventory.ErrLocked}, "Another SiteKeeper window"},
		{"field", dateErr, "The date “31/31/2027” is not a date; write it like 2027-03-31."},
		{"joined fields", errors.Join(dateErr, macErr), "The date “31/31/2027” is not a date; write it like 2027-03-31.\nThe MAC address “00:1a” is not a MAC address"},
		{"import rows", fmt.Errorf("import: %w", &transfer.ImportError{Problems: []transfer.Problem{{Line: 3, Message: "a"}, {Line: 9, Message: "b"}}}),
			"2 rows of the file have problems, so nothing was imported. Fix them in the spreadsheet and import it again, or import only the good rows."},
		{"import one row", &transfer.ImportError{Problems: []transfer.Problem{{Line: 3, Message: "a"}}}, "1 row of the file has a problem, so nothing"},
		{"import file", &transfer.ImportError{Problems: []transfer.Problem{{Message: "the file is empty; save it again"}}}, "Nothing was imported: the file is empty; save it again."},
		{"cancelled", fmt.Errorf("import: %w", context.Canceled), "Stopped before it finished. Nothing was changed."},
		{"missing file", &fs.PathError{Op: "open", Path: "a.csv", Err: fs.ErrNotExist}, "SiteKeeper cannot find that file."},
		{"no permission", &fs.PathError{Op: "open", Path: "a.csv", Err: fs.ErrPermission}, "SiteKeeper is not allowed to open that file."},
		{"unknown", errors.New("bolt: page 7 out of range"), "SiteKeeper could not finish this. Try again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Explain(c.err)
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("Explain(%v) = %q; want it to start %q", c.err, got, c.want)
			}
			// A person never reads the Go error text in the explanation.
			if strings.Contains(got, "/x/inventory.db") || strings.Contains(got, "bolt:") {
				t.Errorf("Explain(%v) = %q; leaks the error text", c.err, got)
			}
		})
	}
	if Explain(nil) != "" {
		t.Error("Explain(nil) is not empty")
	}
}
