package plan_test

import (
	"testing"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/plan/plantest"
)

// BenchmarkMakeAll10k plans 10,000 devices under every strategy and
// compares them: what the Plan view and the IT report do on each change.
func BenchmarkMakeAll10k(b *testing.B) {
	in := plantest.Fleet(10000)
	p := plan.Policy{Years: 5, PriceIncrease: 3, CapPercent: 15}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range inventory.Strategies {
			p.Strategy = s
			if _, err := plan.Make(in, p); err != nil {
				b.Fatal(err)
			}
		}
		p.Strategy = ""
		if _, err := plan.Compare(in, p); err != nil {
			b.Fatal(err)
		}
	}
}
