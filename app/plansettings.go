package app

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// planSection is the "Replacement planning" part of Settings: a typical
// replacement cost and expected life per type of device, and a yearly price
// increase, for the devices that say nothing of their own.
type planSection struct {
	s      *settingsView
	cost   map[inventory.Class]*widget.Entry
	life   map[inventory.Class]*widget.Entry
	rise   *widget.Entry
	msg    *widget.Label // what is wrong with the inputs
	save   *widget.Button
	result *widget.Label
}

// planSection builds the Replacement planning section of s.
func (s *settingsView) planSection() fyne.CanvasObject {
	p := &planSection{s: s, cost: map[inventory.Class]*widget.Entry{}, life: map[inventory.Class]*widget.Entry{}}
	s.plan = p
	grid := container.NewGridWithColumns(3,
		widget.NewLabelWithStyle("Type", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Typical cost", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Expected life (years)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range inventory.Classes {
		cost, life := widget.NewEntry(), widget.NewEntry()
		cost.SetPlaceHolder("not set")
		life.SetPlaceHolder(strconv.Itoa(plan.DefaultLife[c]))
		cost.OnChanged = func(string) { p.changed() }
		life.OnChanged = func(string) { p.changed() }
		p.cost[c], p.life[c] = cost, life
		grid.Add(widget.NewLabel(c.Label()))
		grid.Add(cost)
		grid.Add(life)
	}
	p.rise = widget.NewEntry()
	p.rise.SetPlaceHolder("0")
	p.rise.OnChanged = func(string) { p.changed() }
	p.msg = widget.NewLabel("")
	p.msg.Importance = widget.DangerImportance
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Hide()
	p.result = widget.NewLabel("")
	p.save = widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), func() {
		if v, ok := p.read(); ok {
			all := s.values()
			all.Plan = v
			s.store(all)
		}
	})
	p.save.Disable()
	return section("Replacement planning", container.NewVBox(
		para("The plan uses each device's own cost and expected life. For devices without them it uses these, per type: a cost here counts as an estimate and is marked so in the reports; an empty life uses the usual life shown in grey."),
		container.NewGridWrap(fyne.NewSize(560, grid.MinSize().Height), grid),
		formGrid("Yearly price increase (%)", container.NewGridWrap(fyne.NewSize(120, p.rise.MinSize().Height), p.rise)),
		p.msg,
		container.NewHBox(p.save, p.result)))
}

// show puts the stored plan defaults on screen.
func (p *planSection) show(st inventory.PlanSettings) {
	for _, c := range inventory.Classes {
		p.cost[c].SetText("")
		if m, ok := st.ClassCost[c]; ok && m > 0 {
			p.cost[c].SetText(m.String())
		}
		p.life[c].SetText("")
		if y := st.ClassLifeYears[c]; y > 0 {
			p.life[c].SetText(strconv.Itoa(y))
		}
	}
	p.rise.SetText("")
	if st.PriceIncreasePercent != 0 {
		p.rise.SetText(strconv.FormatFloat(st.PriceIncreasePercent, 'f', -1, 64))
	}
	p.save.Disable()
	p.msg.Hide()
}

// read reads the inputs, and says what is wrong under them if anything is.
func (p *planSection) read() (inventory.PlanSettings, bool) {
	var v inventory.PlanSettings
	var problems []string
	for _, c := range inventory.Classes {
		if t := strings.TrimSpace(p.cost[c].Text); t != "" {
			m, err := inventory.ParseMoney(t)
			if err != nil || m < 0 {
				problems = append(problems, fmt.Sprintf("the cost of a %s, %q, is not an amount; write it like 1190 or 1190.50", strings.ToLower(c.Label()), t))
			} else if m > 0 {
				if v.ClassCost == nil {
					v.ClassCost = map[inventory.Class]inventory.Money{}
				}
				v.ClassCost[c] = m
			}
		}
		if t := strings.TrimSpace(p.life[c].Text); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil || n < 1 || n > 50 {
				problems = append(problems, fmt.Sprintf("the life of a %s, %q, should be a whole number of years from 1 to 50", strings.ToLower(c.Label()), t))
			} else {
				if v.ClassLifeYears == nil {
					v.ClassLifeYears = map[inventory.Class]int{}
				}
				v.ClassLifeYears[c] = n
			}
		}
	}
	if t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p.rise.Text), "%")); t != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", "."), 64)
		if err != nil || f < 0 || f > 100 {
			problems = append(problems, fmt.Sprintf("the price increase %q should be a percentage from 0 to 100, like 3 or 2.5", t))
		} else {
			v.PriceIncreasePercent = f
		}
	}
	if len(problems) > 0 {
		p.msg.SetText(sentence(strings.Join(problems, "; ")))
		p.msg.Show()
		return v, false
	}
	p.msg.Hide()
	return v, true
}

// changed enables Save when the inputs are good and differ from what is
// saved.
func (p *planSection) changed() {
	if p.save == nil {
		return // still building
	}
	p.result.SetText("")
	v, ok := p.read()
	saved := p.s.saved.Plan
	same := maps.Equal(v.ClassCost, saved.ClassCost) && maps.Equal(v.ClassLifeYears, saved.ClassLifeYears) && v.PriceIncreasePercent == saved.PriceIncreasePercent
	if ok && !same {
		p.save.Enable()
	} else {
		p.save.Disable()
	}
}
