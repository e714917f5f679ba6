package watch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// Once checks every active device once, as many at a time as the workers
// and rate limits allow, and returns each device's result in the store's
// order: no debounce, nothing recorded (sitekeeper check). A device that
// cannot be reached is a result, not an error. If ctx ends first, Once
// returns the results that finished and ctx's error.
func (w *Watcher) Once(ctx context.Context) ([]Result, error) {
	devices, err := w.store.Devices(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch: read devices: %w", err)
	}
	var active []inventory.Device
	for _, d := range devices {
		if Checkable(&d) {
			active = append(active, d)
		}
	}
	results := make([]Result, len(active))
	finished := make([]bool, len(active))
	var wg sync.WaitGroup
	now := time.Now()
	for i, d := range active {
		select {
		case w.slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		snoozed := !w.snoozedUntil(&d, now).IsZero()
		wg.Go(func() {
			defer func() { <-w.slots }()
			if w.lock(ctx, d.ID) != nil {
				return
			}
			defer w.unlock(d.ID)
			o, started, err := w.check(ctx, d, w.cfg.PacketsPerCheck)
			if err != nil {
				return
			}
			results[i] = Result{Device: d, Outcome: o, At: started, Took: time.Since(started), Snoozed: snoozed}
			finished[i] = true
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		var done []Result
		for i, r := range results {
			if finished[i] {
				done = append(done, r)
			}
		}
		return done, err
	}
	return results, nil
}
