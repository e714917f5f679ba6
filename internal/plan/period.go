package plan

import (
	"fmt"
	"time"

	"sitekeeper/internal/inventory"
)

// Period is a calendar quarter, the unit of the schedule: "2027-Q3".
type Period struct {
	Year    int
	Quarter int // 1..4
}

// QuarterOf is the calendar quarter d falls in.
func QuarterOf(d inventory.Date) Period {
	return Period{Year: d.Year, Quarter: (int(d.Month)-1)/3 + 1}
}

// IsZero reports whether p is unset: a device not scheduled in the horizon.
func (p Period) IsZero() bool { return p == Period{} }

// String is "2027-Q3", or "" for the zero Period.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d-Q%d", p.Year, p.Quarter)
}

// MarshalText writes the String form.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// index counts quarters since year 0, so that periods subtract.
func (p Period) index() int { return p.Year*4 + p.Quarter - 1 }

func periodAt(i int) Period { return Period{Year: i / 4, Quarter: i%4 + 1} }

// Start is the first day of the quarter.
func (p Period) Start() inventory.Date {
	return inventory.Date{Year: p.Year, Month: time.Month((p.Quarter-1)*3 + 1), Day: 1}
}

// horizon is the plan's span: Years budget years of four quarters each,
// from the quarter From falls in.
type horizon struct {
	first int // index of the first quarter
	years int
}

func (h horizon) end() int { return h.first + 4*h.years } // first quarter past the plan

// clamp is the quarter d falls in, or the first quarter when d is earlier
// (already due), and whether that is within the plan.
func (h horizon) clamp(d inventory.Date) (Period, bool) {
	i := max(QuarterOf(d).index(), h.first)
	return periodAt(i), i < h.end()
}

// year is the budget year (0-based) a period falls in.
func (h horizon) year(p Period) int { return (p.index() - h.first) / 4 }

// label is the calendar year a budget year starts in: with From on
// 1 January budget years are calendar years.
func (h horizon) label(y int) int { return periodAt(h.first + 4*y).Year }
