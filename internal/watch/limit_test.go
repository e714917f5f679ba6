package watch

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

type admitted struct {
	at      time.Time
	host    string
	packets int
}

// checkWindows fails if more than max packets (of host, or of all if host
// is "") fall within any one second.
func checkWindows(t *testing.T, log []admitted, host string, max int) {
	t.Helper()
	for _, a := range log {
		sum := 0
		for _, b := range log {
			if (host == "" || b.host == host) && !b.at.Before(a.at) && b.at.Before(a.at.Add(time.Second)) {
				sum += b.packets
			}
		}
		if sum > max {
			t.Errorf("packets to %q in [%v, +1s) = %d; want at most %d", host, a.at.Format(time.TimeOnly), sum, max)
			return
		}
	}
}

func TestLimiterWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(50, 20)
		var mu sync.Mutex
		var log []admitted
		var wg sync.WaitGroup
		start := time.Now()
		for g := range 30 {
			host := fmt.Sprintf("10.0.0.%d", g%3)
			wg.Go(func() {
				for range 10 {
					tk, err := l.wait(t.Context(), host, 7)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					log = append(log, admitted{time.Now(), host, 7})
					mu.Unlock()
					l.settle(host, tk, 5) // sent fewer than estimated
				}
			})
		}
		wg.Wait()
		log5 := make([]admitted, len(log))
		for i, a := range log {
			log5[i] = admitted{a.at, a.host, 5}
		}
		checkWindows(t, log5, "", 50)
		for h := range 3 {
			checkWindows(t, log5, fmt.Sprintf("10.0.0.%d", h), 20)
		}
		// 1,500 packets at 50 per second: about 30 s, not much more.
		if took := time.Since(start); took > 35*time.Second {
			t.Errorf("300 checks of 5 packets took %v; want about 30s", took)
		}
	})
}

func TestLimiterOversized(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(100, 10)
		start := time.Now()
		tk, _ := l.wait(t.Context(), "h", 3)
		l.settle("h", tk, 3)
		if _, err := l.wait(t.Context(), "h", 25); err != nil { // more than the bound: waits for an empty window
			t.Fatal(err)
		}
		if took := time.Since(start); took != time.Second {
			t.Errorf("oversized check waited %v; want 1s (the window empties)", took)
		}
	})
}
