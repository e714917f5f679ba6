package app

import (
	"context"
	"testing"

	"sitekeeper/internal/inventory"
)

// The Devices table must stay smooth with 10,000 devices: these measure
// the work behind a keystroke in the search box or a click on a header.

func benchRows(b *testing.B) []row {
	b.Helper()
	return buildRows(sampleDevices(10_000), inventory.Date{Year: 2026, Month: 11, Day: 26}, nil)
}

func BenchmarkBuildRows10k(b *testing.B) {
	devs := sampleDevices(10_000)
	today := inventory.Date{Year: 2026, Month: 11, Day: 26}
	b.ReportAllocs()
	for b.Loop() {
		buildRows(devs, today, nil)
	}
}

func BenchmarkFilterSort10k(b *testing.B) {
	rows := benchRows(b)
	cases := []struct {
		name string
		q    query
	}{
		{"all_by_name", query{sortCol: colName}},
		{"all_by_ip_desc", query{sortCol: colIP, desc: true}},
		{"search_by_site", query{text: "camera", sortCol: colSite}},
		{"search_two_words_filtered", query{text: "dome reception", site: "Head office", sortCol: colWarranty}},
		{"search_no_match", query{text: "zzzz", sortCol: colName}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := filterSort(context.Background(), rows, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
