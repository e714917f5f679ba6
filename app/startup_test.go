package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

func TestStartupErrorSaysWhatToDo(t *testing.T) {
	a := test.NewTempApp(t)
	err := &inventory.PathError{Op: "open", Path: "/home/fm/.config/SiteKeeper/inventory.db", Err: fmt.Errorf("%w (timeout)", inventory.ErrLocked)}
	w := startupErrorWindow(a, err)
	defer w.Close()
	var texts []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"cannot open its inventory", "Close it, then try again", "inventory.db"} {
		if !strings.Contains(all, want) {
			t.Errorf("startup error window lacks %q:\n%s", want, all)
		}
	}
}
