package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"sitekeeper/internal/report"
)

// pngLogo is a small PNG picture.
func pngLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		for y := range 40 {
			img.Set(x, y, color.NRGBA{R: uint8(x * 2), G: 0x60, B: 0xa0, A: 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReportsViewSavesPDF(t *testing.T) {
	u := openPlan(t, planDevices())
	u.selectTab(u.reports.content)
	u.wait()
	v := u.reports
	if got := v.site.Options; len(got) != 2 || got[1] != "Head office" {
		t.Errorf("site choices = %q; want All sites and Head office", got)
	}
	v.audience.SetSelected(audienceIT)
	v.consultant.SetText("Brightline Security Consulting")
	if !v.useLogo(pngLogo(t), "brightline.png") {
		t.Fatal("a PNG logo was refused")
	}
	v.site.SetSelected("Head office")
	u.wait()
	j := v.job()
	if j.audience != report.AudienceIT || j.site != "Head office" || j.consultant != "Brightline Security Consulting" || len(j.logo) == 0 {
		t.Errorf("job = %+v; want the IT report of Head office with the consultant's name and logo", j)
	}
	if got, want := j.reportName(), "SiteKeeper IT report Head office 2026-11-26.pdf"; got != want {
		t.Errorf("suggested name %q; want %q", got, want)
	}
	var pdf bytes.Buffer
	if err := u.saveReport(&pdf, j); err != nil {
		t.Fatalf("saveReport: %v", err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Errorf("the report starts %q; want %%PDF", pdf.Bytes()[:min(8, pdf.Len())])
	}
	for _, f := range planExports {
		var b bytes.Buffer
		data, opt, err := u.gatherReport(j)
		if err == nil {
			err = f.write(&b, data, opt)
		}
		if err != nil || b.Len() == 0 {
			t.Errorf("%s export: %d bytes, %v", f.what, b.Len(), err)
		}
	}
	capture(t, u, "reports")

	// The choices are kept for the next time.
	prefs := u.app.Preferences()
	if prefs.String(prefAudience) != audienceIT || prefs.String(prefConsultant) != "Brightline Security Consulting" || prefs.String(prefLogo) == "" {
		t.Errorf("preferences audience %q, consultant %q, logo kept %v; want them kept",
			prefs.String(prefAudience), prefs.String(prefConsultant), prefs.String(prefLogo) != "")
	}
	again := newReportsView(u.UI)
	if again.audience.Selected != audienceIT || again.consultant.Text != "Brightline Security Consulting" || len(again.logo) == 0 || again.logoName != "brightline.png" {
		t.Errorf("a new Reports view starts with %q, %q, logo %q; want the kept choices", again.audience.Selected, again.consultant.Text, again.logoName)
	}

	// Removing the logo forgets it.
	test.Tap(findButton(u, "Remove"))
	if len(v.logo) != 0 || prefs.String(prefLogo) != "" {
		t.Errorf("Remove left the logo in place")
	}
}

func TestReportsViewRefusesNonImageLogo(t *testing.T) {
	u := newTestUI(t, newStore(t, nil), nil)
	u.selectTab(u.reports.content)
	u.wait()
	v := u.reports
	if v.useLogo([]byte("%PDF-1.4 not a picture"), "logo.pdf") {
		t.Fatal("a PDF was taken as the logo")
	}
	if len(v.logo) != 0 {
		t.Errorf("the refused file was kept as the logo")
	}
	if !hasText(u, "logo.pdf is not a PNG or JPEG picture. Open the logo in a picture editor") {
		t.Errorf("no message says the logo is not a picture and what to do")
	}
	capture(t, u, "reports-bad-logo")
	if v.useLogo(bytes.Repeat([]byte{0x89}, report.MaxLogo+1), "huge.png") {
		t.Error("a logo over 1 MB was taken")
	}
	if !hasText(u, "huge.png is larger than 1 MB") {
		t.Error("no message says the logo is too large")
	}
	if err := report.CheckLogo(pngLogo(t)); err != nil {
		t.Errorf("report.CheckLogo(PNG) = %v; want nil", err)
	}
	if !strings.Contains(u.reports.planText.Text, "each device's own strategy, over the next 5 years") {
		t.Errorf("the Reports view names the plan as %q; want the Plan view's choice", u.reports.planText.Text)
	}
}

// TestReportsViewSaveFlow: what happens once the save dialog has a file:
// the report is written there in the background, then a dialog says so and
// offers to open it.
func TestReportsViewSaveFlow(t *testing.T) {
	u := openPlan(t, planDevices())
	u.selectTab(u.reports.content)
	u.wait()
	v := u.reports
	var opened []string
	v.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	path := filepath.Join(t.TempDir(), "SiteKeeper site report 2026-11-26.pdf")
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	j := v.job()
	v.writeTo(wc, "Report", func(w io.Writer) error { return u.saveReport(w, j) })
	if !v.buttons[0].Disabled() {
		t.Error("Save report… can be pressed again while the report is written")
	}
	u.wait()
	if v.buttons[0].Disabled() {
		t.Error("Save report… stays disabled after the report was written")
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("the saved file: %d bytes, %v; want a PDF", len(b), err)
	}
	if !hasText(u, "Report saved as "+path) || !strings.Contains(v.status.Text, "Report saved as SiteKeeper site report 2026-11-26.pdf") {
		t.Errorf("no message says where the report was saved; status %q", v.status.Text)
	}
	capture(t, u, "reports-saved")
	open := findButton(u, "Open it")
	if open == nil {
		t.Fatal("no Open it button")
	}
	test.Tap(open)
	if want := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String(); len(opened) != 1 || opened[0] != want {
		t.Errorf("opened %q; want %q", opened, want)
	}
}

// TestReportsViewSaveFails: a report that cannot be written says so in
// plain words and leaves no "saved" behind.
func TestReportsViewSaveFails(t *testing.T) {
	u := openPlan(t, planDevices())
	v := u.reports
	path := filepath.Join(t.TempDir(), "r.pdf")
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	v.writeTo(wc, "Report", func(io.Writer) error { return fs.ErrPermission })
	u.wait()
	if !hasText(u, "SiteKeeper is not allowed to open that file") || v.status.Text != "" {
		t.Errorf("a failed save does not say so; status %q", v.status.Text)
	}
}

func TestFileURL(t *testing.T) {
	for in, want := range map[string]string{
		"/home/sam/SiteKeeper IT report.pdf": "file:///home/sam/SiteKeeper%20IT%20report.pdf",
		"C:/Users/sam/report.pdf":            "file:///C:/Users/sam/report.pdf",
	} {
		if got := fileURL(in).String(); got != want {
			t.Errorf("fileURL(%q) = %q; want %q", in, got, want)
		}
	}
}
