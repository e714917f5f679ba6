package report

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/plan/plantest"
)

// data10k is the Data of an IT report of fleet10k, as report.Gather makes
// it (the plan under each device's own strategy, every strategy compared,
// firmware assessed against the built-in catalog).
func data10k(b *testing.B) Data {
	in := plantest.Fleet(10000)
	policy := plan.Policy{Years: 5, PriceIncrease: 3}
	pl, err := plan.Make(in, policy)
	if err != nil {
		b.Fatal(err)
	}
	cmps, err := plan.Compare(in, policy)
	if err != nil {
		b.Fatal(err)
	}
	fw := map[string]firmware.Assessment{}
	fleet := firmware.NewBaseline(in.Devices)
	cat := firmware.Default()
	for _, d := range in.Devices {
		if d.State() == inventory.StateActive {
			fw[d.ID] = firmware.Assess(d, cat, fleet, in.Today)
		}
	}
	return Data{In: in, Plan: pl, Compare: cmps, Firmware: fw, Upcoming: plan.Upcoming(in, policy, 90), OutagesFrom: generated.AddDate(0, 0, -90)}
}

// peakHeap samples the Go heap in use every 5 ms until stop is called and
// returns the highest sample: the peak memory a report takes, which
// -benchmem's totals of allocation do not show.
func peakHeap() (stop func() uint64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() { // ends when stop closes done
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// BenchmarkITReport10k writes the IT PDF of 10,000 devices (the plan and
// comparison made beforehand, as report.Gather does): the target is under
// 3 s and 300 MB. It reports the PDF's size and pages and the peak heap
// in use while writing (sampled; the process's peak RSS is measured
// separately, docs/performance.md).
func BenchmarkITReport10k(b *testing.B) {
	data := data10k(b)
	opt := Options{Organisation: "Northwind Facilities GmbH", Consultant: "Audit by Müller & Söhne", Generated: generated, Currency: "EUR"}
	runtime.GC()
	var out bytes.Buffer
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		stop := peakHeap()
		if err := Write(&out, AudienceIT, data, opt); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(out.Len()), "pdf-bytes")
	b.ReportMetric(float64(bytes.Count(out.Bytes(), []byte("/Type /Page\n"))), "pages")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkXLSX10k writes the workbook of 10,000 devices (plan, budget,
// strategies, devices) with the same Data.
func BenchmarkXLSX10k(b *testing.B) {
	data := data10k(b)
	opt := Options{Generated: generated, Currency: "EUR"}
	runtime.GC()
	var out bytes.Buffer
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		stop := peakHeap()
		if err := WriteXLSX(&out, data, opt); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(out.Len()), "xlsx-bytes")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
