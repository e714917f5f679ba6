package wsd

import (
	"strconv"
	"sync"
)

// Seen remembers the last N messages to drop repeats: wsdd sends every
// unicast reply twice and every Hello/Bye four times, with the same
// MessageID. A Hello or Bye is also keyed by its endpoint and AppSequence,
// for devices that change the MessageID on each repeat. Eviction is
// first-in first-out, which is enough for repeats that arrive within a
// second of each other. A Seen is safe for concurrent use.
type Seen struct {
	mu   sync.Mutex
	set  map[string]struct{}
	ring []string // keys in insertion order; next is the oldest slot
	next int
}

// NewSeen returns a Seen that remembers up to capacity keys (at least 1).
func NewSeen(capacity int) *Seen {
	capacity = max(capacity, 1)
	return &Seen{set: make(map[string]struct{}, capacity), ring: make([]string, 0, capacity)}
}

// Add records m and reports whether it is new. A message with neither a
// MessageID nor an AppSequence cannot be recognised again and is always new.
func (s *Seen) Add(m *Message) bool {
	keys := seenKeys(m)
	if len(keys) == 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		if _, ok := s.set[k]; ok {
			return false
		}
	}
	for _, k := range keys {
		s.insert(k)
	}
	return true
}

// Len returns the number of keys remembered.
func (s *Seen) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.set)
}

func (s *Seen) insert(k string) {
	if len(s.ring) < cap(s.ring) {
		s.ring = append(s.ring, k)
	} else {
		delete(s.set, s.ring[s.next])
		s.ring[s.next] = k
		s.next = (s.next + 1) % len(s.ring)
	}
	s.set[k] = struct{}{}
}

func seenKeys(m *Message) []string {
	var keys []string
	if m.Header.MessageID != "" {
		keys = append(keys, "id\x00"+m.Header.MessageID)
	}
	if as := m.Header.AppSequence; as != nil && (m.Kind == KindHello || m.Kind == KindBye) && len(m.Matches) > 0 {
		keys = append(keys, m.Kind.String()+"\x00"+m.Matches[0].EndpointRef+"\x00"+
			strconv.FormatUint(as.InstanceID, 10)+"\x00"+as.SequenceID+"\x00"+strconv.FormatUint(as.MessageNumber, 10))
	}
	return keys
}
