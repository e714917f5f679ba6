package watch

import (
	"context"
	"sync"
	"time"
)

// limiter keeps the packets the checks send under a bound overall and a
// bound per host, each counted over any one second (a sliding window, so
// "40 per second" holds for every second, not only on average).
type limiter struct {
	mu      sync.Mutex
	global  window
	hostMax int
	hosts   map[string]*window
}

// window is the packets sent in the last second, oldest first.
type window struct {
	max  int
	sum  int
	sent []*sent
}

type sent struct {
	at   time.Time
	n    int
	gone bool // out of the window: no longer in sum
}

// ticket is a check's share of both windows, settled with what it sent.
type ticket struct{ global, host *sent }

func newLimiter(perSecond, hostPerSecond int) *limiter {
	return &limiter{global: window{max: perSecond}, hostMax: hostPerSecond, hosts: map[string]*window{}}
}

// wait blocks until n more packets to host fit under both bounds, counts
// them as sent now and returns the ticket to settle.
func (l *limiter) wait(ctx context.Context, host string, n int) (ticket, error) {
	for {
		l.mu.Lock()
		now := time.Now()
		h := l.hosts[host]
		if h == nil {
			h = &window{max: l.hostMax}
			l.hosts[host] = h
		}
		at := later(l.global.ready(now, n), h.ready(now, n))
		if !at.After(now) {
			tk := ticket{l.global.add(now, n), h.add(now, n)}
			l.mu.Unlock()
			return tk, nil
		}
		l.mu.Unlock()
		t := time.NewTimer(at.Sub(now))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ticket{}, ctx.Err()
		}
	}
}

// settle replaces a ticket's estimate with the packets the check sent.
func (l *limiter) settle(host string, tk ticket, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.global.correct(tk.global, n)
	if h := l.hosts[host]; h != nil {
		h.correct(tk.host, n)
		if h.prune(time.Now()); h.sum == 0 && len(h.sent) == 0 {
			delete(l.hosts, host) // keep the map to the hosts of the last second
		}
	}
}

func (w *window) prune(now time.Time) {
	i := 0
	for i < len(w.sent) && !w.sent[i].at.Add(time.Second).After(now) {
		w.sum -= w.sent[i].n
		w.sent[i].gone = true
		i++
	}
	w.sent = w.sent[i:]
}

// ready is the earliest time at or after now when n more packets fit. A
// check of more packets than the bound fits when the window is empty.
func (w *window) ready(now time.Time, n int) time.Time {
	w.prune(now)
	need := min(w.sum+n-w.max, w.sum) // packets that must leave the window first
	if need <= 0 {
		return now
	}
	for _, s := range w.sent {
		if need -= s.n; need <= 0 {
			return s.at.Add(time.Second)
		}
	}
	return w.sent[len(w.sent)-1].at.Add(time.Second)
}

func (w *window) add(now time.Time, n int) *sent {
	s := &sent{at: now, n: n}
	w.sent = append(w.sent, s)
	w.sum += n
	return s
}

func (w *window) correct(s *sent, n int) {
	if s == nil {
		return
	}
	if !s.gone {
		w.sum += n - s.n
	}
	s.n = n
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
