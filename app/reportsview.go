package app

import (
	"cmp"
	"encoding/base64"
	"fmt"
	_ "image/jpeg" // logos
	_ "image/png"  // logos
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/report"
)

// Preference keys for the report choices, kept so that a consultant does
// not type their name or pick their logo again for every report.
const (
	prefAudience   = "report.audience"
	prefPageSize   = "report.pageSize"
	prefConsultant = "report.consultant"
	prefLogo       = "report.logo" // base64 of the PNG or JPEG file
	prefLogoName   = "report.logoName"
)

// Choices the Reports view offers.
const (
	audienceOT = "For the facility manager (plain)"
	audienceIT = "For IT (detailed)"
)

// reportsView saves the PDF reports and the plan's exports, with the
// choices of audience, site, paper and a consultant's branding.
type reportsView struct {
	u       *UI
	content fyne.CanvasObject

	audience   *widget.RadioGroup
	site       *widget.Select
	page       *widget.RadioGroup
	consultant *widget.Entry
	planText   *widget.Label
	status     *widget.Label

	logo       []byte
	logoName   string
	logoImg    *canvas.Image
	logoLabel  *widget.Label
	logoRemove *widget.Button

	// buttons save a file; they wait while one is being written.
	buttons []*widget.Button

	gen uint64
	// openURL opens a saved file in the program the computer opens such
	// files with: the app's OpenURL; tests record it.
	openURL func(*url.URL) error
}

func newReportsView(u *UI) *reportsView {
	v := &reportsView{u: u, openURL: u.app.OpenURL}
	prefs := u.app.Preferences()
	v.audience = widget.NewRadioGroup([]string{audienceOT, audienceIT}, func(s string) {
		if s != "" {
			prefs.SetString(prefAudience, s)
		}
	})
	v.audience.Required = true
	v.audience.Selected = audienceOT
	if s := prefs.String(prefAudience); s == audienceIT {
		v.audience.Selected = s
	}
	v.page = widget.NewRadioGroup([]string{"A4", "Letter"}, func(s string) {
		if s != "" {
			prefs.SetString(prefPageSize, s)
		}
	})
	v.page.Horizontal, v.page.Required = true, true
	v.page.Selected = cmp.Or(prefs.String(prefPageSize), "A4")
	v.site = widget.NewSelect([]string{allSites}, nil)
	v.site.Selected = allSites
	v.consultant = widget.NewEntry()
	v.consultant.SetPlaceHolder("Your name or company, printed at the top of each page")
	v.consultant.SetText(prefs.String(prefConsultant))
	v.consultant.OnChanged = func(s string) { prefs.SetString(prefConsultant, strings.TrimSpace(s)) }

	v.logoImg = canvas.NewImageFromResource(nil)
	v.logoImg.FillMode = canvas.ImageFillContain
	v.logoImg.SetMinSize(fyne.NewSize(120, 48))
	v.logoLabel = widget.NewLabel("")
	v.logoRemove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { v.setLogo(nil, "") })
	if b, err := base64.StdEncoding.DecodeString(prefs.String(prefLogo)); err == nil && len(b) > 0 && report.CheckLogo(b) == nil {
		v.showLogo(b, prefs.String(prefLogoName))
	} else {
		v.showLogo(nil, "")
	}
	chooseLogo := widget.NewButtonWithIcon("Choose a logo…", theme.FolderOpenIcon(), v.chooseLogo)

	v.planText = para("")
	toPlan := widget.NewButton("Change in the Plan view", func() { u.selectTab(u.plan.content) })
	toPlan.Importance = widget.LowImportance

	save := widget.NewButtonWithIcon("Save report…", theme.DocumentSaveIcon(), v.askSaveReport)
	save.Importance = widget.HighImportance
	v.buttons = []*widget.Button{save}
	exports := []fyne.CanvasObject{widget.NewLabel("The plan for a spreadsheet:")}
	for _, f := range planExports {
		b := widget.NewButtonWithIcon(f.button, theme.DownloadIcon(), func() { v.askExport(f) })
		v.buttons = append(v.buttons, b)
		exports = append(exports, b)
	}
	v.status = para("")

	form := formGrid(
		"Who it is for", v.audience,
		"Site", v.site,
		"Paper", v.page,
		"Made by (optional)", v.consultant,
		"Logo (optional)", container.NewHBox(v.logoImg, v.logoLabel, chooseLogo, v.logoRemove),
		"Plan", container.NewVBox(v.planText, container.NewHBox(toPlan)),
	)
	intro := para("A report for the people who look after the site: which devices you have, what is offline or needs attention, and the replacement plan with its cost per year. " +
		"Choose who it is for, then save it as a PDF to print or send.")
	page := container.NewVBox(
		heading("Reports"),
		intro,
		form,
		container.NewHBox(save),
		container.NewHBox(exports...),
		v.status,
	)
	v.content = container.NewVScroll(container.New(&columnLayout{width: 820, leading: true}, container.NewPadded(page)))
	v.showPlanChoice()
	return v
}

// selectTab brings the view whose content is c forward.
func (u *UI) selectTab(c fyne.CanvasObject) {
	for _, t := range u.tabs.Items {
		if t.Content == c {
			u.tabs.Select(t)
		}
	}
}

// showPlanChoice says which plan the report will hold: the Plan view's.
func (v *reportsView) showPlanChoice() {
	c := v.u.plan.choice()
	p := c.policy
	s := fmt.Sprintf("As chosen in the Plan view: %s, over the next %s", strings.ToLower(v.u.plan.strategy.Selected), plural(p.Years, "year", "years"))
	if p.CapPercent > 0 {
		s += fmt.Sprintf(", at most %g %% of devices a year", p.CapPercent)
	}
	for _, owner := range []string{plan.OwnerOT, plan.OwnerIT} {
		if m, ok := p.CapAmount[owner]; ok {
			s += fmt.Sprintf(", %s spending at most %s a year", owner, report.Money(m, v.u.currency))
		}
	}
	switch {
	case !c.ownRise:
		s += ", prices rising as set in Settings"
	case p.PriceIncrease > 0:
		s += fmt.Sprintf(", prices rising %g %% a year", p.PriceIncrease)
	}
	v.planText.SetText(s + ".")
}

// reload reads the sites to choose from; call it on the UI goroutine.
func (v *reportsView) reload() {
	v.showPlanChoice()
	v.gen++
	gen := v.gen
	u := v.u
	u.background(func() func() {
		sites, err := u.st.Sites(u.ctx)
		var names []string
		if err == nil {
			var devs []inventory.Device
			devs, err = u.st.Devices(u.ctx)
			names = siteNames(sites, devs)
		}
		return func() {
			if gen != v.gen || err != nil {
				return // the Devices view reports a store that cannot be read
			}
			v.site.SetOptions(append([]string{allSites}, names...))
			if !slices.Contains(v.site.Options, v.site.Selected) {
				v.site.SetSelected(allSites)
			}
		}
	})
}

// reportJob is what one report or export is made of, taken from the
// controls on the UI goroutine so that the work needs no widget.
type reportJob struct {
	audience   string // report.AudienceOT or AudienceIT
	site       string // "" for all
	pageSize   string
	consultant string
	logo       []byte
	plan       planChoice
	now        time.Time
}

// job takes the current choices.
func (v *reportsView) job() reportJob {
	j := reportJob{audience: report.AudienceOT, pageSize: v.page.Selected, consultant: strings.TrimSpace(v.consultant.Text),
		logo: v.logo, plan: v.u.plan.choice(), now: v.u.plan.now()}
	if v.audience.Selected == audienceIT {
		j.audience = report.AudienceIT
	}
	if v.site.Selected != allSites {
		j.site = v.site.Selected
	}
	return j
}

// fileName is the name the save dialog suggests: "SiteKeeper IT report
// Head office 2026-11-26.pdf".
func (j reportJob) fileName(what, ext string) string {
	parts := []string{"SiteKeeper", what}
	if j.site != "" {
		parts = append(parts, j.site)
	}
	parts = append(parts, j.now.Format("2006-01-02"))
	name := strings.Join(parts, " ") + ext
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) {
			return '-'
		}
		return r
	}, name)
}

func (j reportJob) reportName() string {
	if j.audience == report.AudienceIT {
		return j.fileName("IT report", ".pdf")
	}
	return j.fileName("site report", ".pdf")
}

// gather reads the inventory for j: the report's data and options.
func (u *UI) gatherReport(j reportJob) (report.Data, report.Options, error) {
	s, err := u.st.Settings(u.ctx)
	if err != nil {
		return report.Data{}, report.Options{}, err
	}
	data, err := report.Gather(u.ctx, u.st, loadCatalog(), j.plan.resolve(s.Plan), j.site, j.now)
	if err != nil {
		return report.Data{}, report.Options{}, err
	}
	opt := report.Options{PageSize: j.pageSize, Organisation: s.Organisation, Site: j.site, Consultant: j.consultant,
		Logo: j.logo, Generated: j.now, Currency: cmp.Or(s.Currency, u.currency)}
	return data, opt, nil
}

// saveReport writes j's PDF to w. It reads the store: call it off the UI
// goroutine.
func (u *UI) saveReport(w io.Writer, j reportJob) error {
	data, opt, err := u.gatherReport(j)
	if err != nil {
		return err
	}
	return report.Write(w, j.audience, data, opt)
}

// askSaveReport asks where to save the report, then writes it there.
func (v *reportsView) askSaveReport() {
	j := v.job()
	v.askSave(j.reportName(), ".pdf", "Report", func(w io.Writer) error { return v.u.saveReport(w, j) })
}

// askExport asks where to save one of the plan's exports, then writes it.
func (v *reportsView) askExport(f planExport) {
	j := v.job()
	v.askSave(j.fileName("replacement plan", f.ext), f.ext, f.what, func(w io.Writer) error {
		data, opt, err := v.u.gatherReport(j)
		if err != nil {
			return err
		}
		return f.write(w, data, opt)
	})
}

// askSave shows the save dialog with name suggested and, once a file is
// chosen, writes it in the background and offers to open it.
func (v *reportsView) askSave(name, ext, what string, write func(io.Writer) error) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			v.u.showError("The file cannot be saved there", err)
			return
		}
		if wc == nil {
			return // the person cancelled
		}
		v.writeTo(wc, what, write)
	}, v.u.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// writeTo writes a file in the background and says how it went.
func (v *reportsView) writeTo(wc fyne.URIWriteCloser, what string, write func(io.Writer) error) {
	u := v.u
	uri := wc.URI()
	v.status.SetText(fmt.Sprintf("Saving %s…", uri.Name()))
	v.enable(false)
	u.background(func() func() {
		err := write(wc)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		return func() {
			v.enable(true)
			if err != nil {
				v.status.SetText("")
				u.showError(what+" not saved", err)
				return
			}
			v.status.SetText(fmt.Sprintf("%s saved as %s at %s.", what, uri.Name(), time.Now().Format("15:04")))
			v.offerOpen(what, uri)
		}
	})
}

// enable lets the save buttons be pressed, or not.
func (v *reportsView) enable(on bool) {
	for _, b := range v.buttons {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// offerOpen says the file is saved and offers to open it in the program
// the computer opens such files with.
func (v *reportsView) offerOpen(what string, uri fyne.URI) {
	where := uri.Name()
	if p := uri.Path(); p != "" {
		where = filepath.FromSlash(p) // C:\Users\… on Windows
	}
	msg := para(fmt.Sprintf("%s saved as %s.", what, where))
	d := dialog.NewCustomConfirm(what+" saved", "Open it", "Close", msg, func(open bool) {
		if !open {
			return
		}
		if err := v.openURL(fileURL(uri.Path())); err != nil {
			v.u.showError("The file cannot be opened", err)
		}
	}, v.u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// fileURL is the file:// URL of a local path; on Windows "C:\x" becomes
// file:///C:/x.
func fileURL(path string) *url.URL {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return &url.URL{Scheme: "file", Path: p}
}

// Logo.

// chooseLogo asks for a PNG or JPEG file and, when it is one, keeps it.
func (v *reportsView) chooseLogo() {
	v.u.chooseFile([]string{".png", ".jpg", ".jpeg"}, "Use", func(name string, open opener) {
		v.u.background(func() func() {
			rc, err := open()
			var b []byte
			if err == nil {
				b, err = io.ReadAll(io.LimitReader(rc, report.MaxLogo+1))
				_ = rc.Close()
			}
			return func() {
				if err != nil {
					v.u.showError("The logo cannot be read", err)
					return
				}
				v.useLogo(b, name)
			}
		})
	})
}

// useLogo keeps b as the logo when it is a PNG or JPEG picture, and says
// what to do when it is not. It reports whether the logo was taken.
func (v *reportsView) useLogo(b []byte, name string) bool {
	if err := report.CheckLogo(b); err != nil {
		text := name + " is not a PNG or JPEG picture. Open the logo in a picture editor (Paint will do), save it as PNG, and choose that file."
		if len(b) > report.MaxLogo {
			text = name + " is larger than 1 MB. Save a smaller version of the logo (300 pixels wide is plenty for a report) and choose that file."
		}
		d := dialog.NewCustom("This logo cannot be used", "Close", para(text), v.u.win)
		d.Resize(fyne.NewSize(480, 0))
		d.Show()
		return false
	}
	v.setLogo(b, name)
	return true
}

// setLogo keeps b (nil: no logo) and remembers it for the next time.
func (v *reportsView) setLogo(b []byte, name string) {
	prefs := v.u.app.Preferences()
	if len(b) == 0 {
		prefs.RemoveValue(prefLogo)
		prefs.RemoveValue(prefLogoName)
	} else {
		prefs.SetString(prefLogo, base64.StdEncoding.EncodeToString(b))
		prefs.SetString(prefLogoName, name)
	}
	v.showLogo(b, name)
}

// showLogo shows the logo's thumbnail and name, or that there is none.
func (v *reportsView) showLogo(b []byte, name string) {
	v.logo, v.logoName = b, name
	if len(b) == 0 {
		v.logoImg.Resource = nil
		v.logoImg.Hide()
		v.logoLabel.SetText("None")
		v.logoRemove.Hide()
		return
	}
	v.logoImg.Resource = fyne.NewStaticResource(cmp.Or(name, "logo"), b)
	v.logoImg.Show()
	v.logoImg.Refresh()
	v.logoLabel.SetText(name)
	v.logoRemove.Show()
}

// planExport is one of the plan's exports for spreadsheets.
type planExport struct {
	button, what, ext string
	write             func(io.Writer, report.Data, report.Options) error
}

// planExports are the exports the Reports view offers.
var planExports = []planExport{
	{"Spreadsheet (XLSX)…", "Spreadsheet", ".xlsx", report.WriteXLSX},
	{"CSV…", "CSV file", ".csv", func(w io.Writer, d report.Data, _ report.Options) error { return report.WritePlanCSV(w, d.Plan) }},
}
