package wsd

import (
	"fmt"
	"sync"
	"testing"
)

func hello(id, epr string, msgNum uint64) *Message {
	return &Message{
		Kind:    KindHello,
		Header:  Header{MessageID: id, AppSequence: &AppSequence{InstanceID: 7, MessageNumber: msgNum}},
		Matches: []Match{{EndpointRef: epr}},
	}
}

func TestSeenAdd(t *testing.T) {
	tests := []struct {
		name string
		msgs []*Message
		want []bool
	}{
		{"wsdd repeats a Hello four times", []*Message{hello("a", "e", 0), hello("a", "e", 0), hello("a", "e", 0), hello("a", "e", 0)}, []bool{true, false, false, false}},
		{"new MessageID, same AppSequence", []*Message{hello("a", "e", 0), hello("b", "e", 0)}, []bool{true, false}},
		{"same endpoint, next message number", []*Message{hello("a", "e", 0), hello("b", "e", 1)}, []bool{true, true}},
		{"ProbeMatch repeated with the same MessageID", []*Message{
			{Kind: KindProbeMatches, Header: Header{MessageID: "m"}}, {Kind: KindProbeMatches, Header: Header{MessageID: "m"}}}, []bool{true, false}},
		{"no MessageID, no AppSequence: always new", []*Message{{Kind: KindProbeMatches}, {Kind: KindProbeMatches}}, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSeen(16)
			for i, m := range tt.msgs {
				if got := s.Add(m); got != tt.want[i] {
					t.Errorf("Add(message %d %q) = %v; want %v", i, m.Header.MessageID, got, tt.want[i])
				}
			}
		})
	}
}

func TestSeenBounded(t *testing.T) {
	s := NewSeen(4)
	for i := range 100 {
		s.Add(&Message{Header: Header{MessageID: fmt.Sprint(i)}})
	}
	if got := s.Len(); got != 4 {
		t.Errorf("Len() after 100 adds = %d; want 4", got)
	}
	if got := s.Add(&Message{Header: Header{MessageID: "99"}}); got {
		t.Errorf("Add(newest) = %v; want false", got)
	}
	if got := s.Add(&Message{Header: Header{MessageID: "0"}}); !got {
		t.Errorf("Add(evicted) = %v; want true", got)
	}
}

func TestSeenFixtureRepeats(t *testing.T) {
	s := NewSeen(8)
	for _, name := range []string{"wsdd-Hello.xml", "wsdd-ProbeMatch.xml"} {
		b := readFixture(t, name)
		for i, want := range []bool{true, false, false, false} {
			m, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Add(&m); got != want {
				t.Errorf("Add(%s copy %d) = %v; want %v", name, i, got, want)
			}
		}
	}
}

func TestSeenConcurrent(t *testing.T) {
	s := NewSeen(64)
	var wg sync.WaitGroup
	news := make([]int, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 1000 {
				if s.Add(&Message{Header: Header{MessageID: fmt.Sprint(i % 10)}}) {
					news[g]++
				}
			}
		})
	}
	wg.Wait()
	if total := news[0] + news[1] + news[2] + news[3]; total != 10 {
		t.Errorf("new messages across goroutines = %d; want 10", total)
	}
}
