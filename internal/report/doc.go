package report

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos
	_ "image/png"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"sitekeeper/resources"
)

// The report's look: one typeface in two weights, dark text, one accent.
const (
	family   = "dejavu"
	bodySize = 9.5
	lineH    = 4.8 // mm per body line
	margin   = 15.0
)

type rgb struct{ r, g, b int }

var (
	ink      = rgb{33, 37, 41}
	muted    = rgb{108, 117, 125}
	rule     = rgb{206, 212, 218}
	band     = rgb{241, 243, 245}
	accent   = rgb{25, 84, 166}
	okColour = rgb{47, 133, 90}
	warnCol  = rgb{191, 112, 0}
	badCol   = rgb{196, 48, 43}
	greyCol  = rgb{134, 142, 150}
	otColour = rgb{25, 84, 166}
	itColour = rgb{112, 72, 232}
	unColour = rgb{173, 181, 189}
)

// doc is a PDF page flow with the report's header, footer and helpers.
type doc struct {
	*fpdf.Fpdf
	opt   Options
	title string
	logo  string // registered image name, "" for none
}

// newDoc starts a document: fonts, page size, metadata fixed by the
// options (no clock), header and footer.
func newDoc(title string, opt Options) (*doc, error) {
	size := "A4"
	if strings.EqualFold(opt.PageSize, "letter") {
		size = "Letter"
	}
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: size})
	d := &doc{Fpdf: p, opt: opt, title: title}
	p.AddUTF8FontFromBytes(family, "", resources.FontRegular)
	p.AddUTF8FontFromBytes(family, "B", resources.FontBold)
	p.SetMargins(margin, 24, margin)
	p.SetAutoPageBreak(true, 16)
	p.SetCatalogSort(true)
	p.SetCompression(true)
	p.SetCreationDate(opt.Generated)
	p.SetModificationDate(opt.Generated)
	p.SetProducer("SiteKeeper", true)
	p.SetCreator("SiteKeeper", true)
	p.SetTitle(title, true)
	if opt.Organisation != "" {
		p.SetSubject(opt.Organisation, true)
	}
	if opt.Consultant != "" {
		p.SetAuthor(opt.Consultant, true)
	}
	p.AliasNbPages("{nb}")
	if len(opt.Logo) > 0 {
		if err := d.registerLogo(opt.Logo); err != nil {
			return nil, err
		}
	}
	p.SetHeaderFunc(d.header)
	p.SetFooterFunc(d.footer)
	return d, p.Error()
}

// MaxLogo bounds a logo: plenty for a header, and small enough to keep in
// the window's preferences.
const MaxLogo = 1 << 20

// Why a logo cannot be used.
var (
	ErrLogoNotPicture = errors.New("the logo is not a PNG or JPEG picture")
	ErrLogoTooLarge   = errors.New("the logo is larger than 1 MB")
)

// CheckLogo says whether b can be a report's logo: a PNG or JPEG picture
// of at most MaxLogo bytes.
func CheckLogo(b []byte) error {
	if len(b) > MaxLogo {
		return ErrLogoTooLarge
	}
	if _, kind, err := image.DecodeConfig(bytes.NewReader(b)); err != nil || (kind != "png" && kind != "jpeg") {
		return ErrLogoNotPicture
	}
	return nil
}

// registerLogo checks the logo (CheckLogo) and registers it.
func (d *doc) registerLogo(b []byte) error {
	if err := CheckLogo(b); err != nil {
		return fmt.Errorf("%w; save it as a PNG of at most 1 MB and choose it again", err)
	}
	_, kind, _ := image.DecodeConfig(bytes.NewReader(b))
	info := d.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: strings.ToUpper(kind)}, bytes.NewReader(b))
	if d.Err() || info == nil {
		return fmt.Errorf("the logo could not be used (%v); save it as PNG and choose it again", d.Error())
	}
	d.logo = "logo"
	return nil
}

func (d *doc) colour(c rgb)                    { d.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fill(c rgb)                      { d.SetFillColor(c.r, c.g, c.b) }
func (d *doc) draw(c rgb)                      { d.SetDrawColor(c.r, c.g, c.b) }
func (d *doc) font(style string, size float64) { d.SetFont(family, style, size) }

// width is the text width between the margins.
func (d *doc) width() float64 {
	w, _ := d.GetPageSize()
	l, _, r, _ := d.GetMargins()
	return w - l - r
}

// header: organisation and site on the left, the report's title under
// them, the consultant's name and logo on the right, a rule below.
func (d *doc) header() {
	l, _, _, _ := d.GetMargins()
	pw, _ := d.GetPageSize()
	d.SetY(9)
	d.font("B", 10)
	d.colour(ink)
	org := d.opt.Organisation
	if org == "" {
		org = "SiteKeeper"
	}
	if d.opt.Site != "" {
		org += " — " + d.opt.Site
	}
	right := 0.0
	if d.logo != "" {
		d.ImageOptions(d.logo, pw-margin-22, 7, 0, 10, false, fpdf.ImageOptions{}, 0, "")
		right = 25
	}
	if d.opt.Consultant != "" {
		d.font("", 8)
		d.colour(muted)
		cw := d.GetStringWidth(d.opt.Consultant) + 2
		d.SetXY(pw-margin-right-cw, 9)
		d.CellFormat(cw, 5, d.opt.Consultant, "", 0, "R", false, 0, "")
		right += cw + 2
		d.font("B", 10)
		d.colour(ink)
	}
	d.SetXY(l, 9)
	d.CellFormat(d.width()-right, 5, fit(d, org, d.width()-right), "", 1, "L", false, 0, "")
	d.font("", 8)
	d.colour(muted)
	d.SetX(l)
	d.CellFormat(d.width()-right, 4, d.title, "", 1, "L", false, 0, "")
	d.draw(rule)
	d.SetLineWidth(0.3)
	d.Line(l, 19.5, pw-margin, 19.5)
	d.SetY(24)
	d.font("", bodySize)
	d.colour(ink)
}

// footer: the generation date on the left, "Page n of m" on the right.
func (d *doc) footer() {
	d.SetY(-11)
	d.font("", 7.5)
	d.colour(muted)
	w := d.width() / 2
	d.CellFormat(w, 4, "Made by SiteKeeper on "+d.opt.Generated.Format("2 January 2006, 15:04"), "", 0, "L", false, 0, "")
	d.CellFormat(w, 4, fmt.Sprintf("Page %d of {nb}", d.PageNo()), "", 0, "R", false, 0, "")
}

// room starts a new page unless h mm are left on this one.
func (d *doc) room(h float64) {
	_, ph := d.GetPageSize()
	_, bottom := d.GetAutoPageBreak()
	if d.GetY()+h > ph-bottom {
		d.AddPage()
	}
}

// h1 is a page title.
func (d *doc) h1(s string) {
	d.room(16)
	d.font("B", 16)
	d.colour(ink)
	d.MultiCell(0, 7.5, s, "", "L", false)
	d.Ln(2)
	d.font("", bodySize)
}

// h2 is a section heading, kept with at least the next few lines.
func (d *doc) h2(s string) {
	d.room(32) // with a table header and its first rows
	d.Ln(2.5)
	d.font("B", 11.5)
	d.colour(accent)
	d.MultiCell(0, 6, s, "", "L", false)
	d.Ln(0.8)
	d.font("", bodySize)
	d.colour(ink)
}

// para is a paragraph of body text.
func (d *doc) para(s string) {
	d.font("", bodySize)
	d.colour(ink)
	d.MultiCell(0, lineH, s, "", "L", false)
	d.Ln(1.5)
}

// note is a paragraph in small grey type.
func (d *doc) note(s string) {
	d.font("", 8)
	d.colour(muted)
	d.MultiCell(0, 4, s, "", "L", false)
	d.Ln(1)
	d.font("", bodySize)
	d.colour(ink)
}

// bullets is a list, one line or more per item.
func (d *doc) bullets(items []string) {
	l, _, _, _ := d.GetMargins()
	for _, it := range items {
		d.room(lineH)
		d.SetX(l)
		d.CellFormat(5, lineH, "•", "", 0, "L", false, 0, "")
		d.MultiCell(d.width()-5, lineH, it, "", "L", false)
	}
	d.Ln(1.5)
}

// col is a table column: its title, share of the width, and alignment.
type col struct {
	title string
	w     float64 // share of the text width; the shares add up to 1
	align string  // "L" or "R"
}

// table draws rows under a header repeated on every page. A cell wraps
// onto up to maxLines lines (past that it is cut with an ellipsis; the CSV
// and XLSX exports have it whole). mark, when set, colours a row's text.
func (d *doc) table(cols []col, rows [][]string, mark func(i int) *rgb) {
	const (
		headH    = 5.8
		cellLine = 3.9
		pad      = 1.3
		maxLines = 3
	)
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.w * d.width()
	}
	head := func() {
		d.font("B", 8)
		d.fill(band)
		d.colour(ink)
		for i, c := range cols {
			d.CellFormat(widths[i], headH, fit(d, c.title, widths[i]-2), "", 0, c.align, true, 0, "")
		}
		d.Ln(-1)
		d.font("", 8)
	}
	d.room(headH + maxLines*cellLine + pad) // the header never alone at the foot of a page
	head()
	d.draw(rule)
	d.SetLineWidth(0.1)
	l, _, _, _ := d.GetMargins()
	_, ph := d.GetPageSize()
	_, bottom := d.GetAutoPageBreak()
	cells := make([][]string, len(cols))
	for ri, r := range rows {
		n := 1
		for i := range cols {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			cells[i] = wrap(d, v, widths[i]-2, maxLines)
			n = max(n, len(cells[i]))
		}
		rh := float64(n)*cellLine + pad
		if d.GetY()+rh > ph-bottom {
			d.AddPage()
			head()
		}
		if mark != nil {
			if c := mark(ri); c != nil {
				d.colour(*c)
			}
		}
		y := d.GetY()
		x := l
		for i := range cols {
			for k, line := range cells[i] {
				d.SetXY(x, y+pad/2+float64(k)*cellLine)
				d.CellFormat(widths[i], cellLine, line, "", 0, cols[i].align, false, 0, "")
			}
			x += widths[i]
		}
		d.Line(l, y+rh, l+d.width(), y+rh)
		d.SetXY(l, y+rh)
		d.colour(ink)
	}
	d.Ln(2)
	d.font("", bodySize)
}

// wrap breaks s into lines of at most w mm in the current font, at most
// maxLines of them (the last cut with an ellipsis if more would follow).
func wrap(d *doc, s string, w float64, maxLines int) []string {
	if s == "" || d.GetStringWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	words := strings.Fields(s)
	cur := ""
	for i, word := range words {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if d.GetStringWidth(next) <= w {
			cur = next
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = word
		if len(lines) == maxLines-1 {
			cur = strings.Join(words[i:], " ")
			break
		}
	}
	lines = append(lines, cur)
	for i, line := range lines {
		lines[i] = fit(d, line, w)
	}
	return lines
}

// fit cuts s with an ellipsis to at most w mm in the current font.
func fit(d *doc, s string, w float64) string {
	if d.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi { // the longest prefix that fits with "…"
		mid := (lo + hi + 1) / 2
		if d.GetStringWidth(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
