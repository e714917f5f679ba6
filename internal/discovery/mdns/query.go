package mdns

import (
	"maps"
	"slices"

	"github.com/miekg/dns"
)

// What a browse sends. Every send happens on Browse's goroutine.

// queryTypes sends PTR questions on every live link: for every type (and
// the meta-query) when all is set, else only for types not queried yet.
func (b *browser) queryTypes(all bool) {
	if !all && !b.pending {
		return
	}
	var qs []dns.Question
	if all {
		qs = append(qs, ptrQuestion(metaQuery))
	}
	for _, t := range slices.Sorted(maps.Keys(b.types)) {
		if all || !b.types[t] {
			qs = append(qs, ptrQuestion(fqdn(t)))
			b.types[t] = true
		}
	}
	b.pending = false
	for i := range b.links {
		b.query(i, qs)
	}
}

func ptrQuestion(n string) dns.Question {
	return dns.Question{Name: n, Qtype: dns.TypePTR, Qclass: dns.ClassINET}
}

// resolve asks for what incomplete instances lack: SRV and TXT, then the
// addresses of the SRV target, each at most maxAsks times, on the link the
// instance was heard on. Responders usually send them all with the PTR
// answer, but a one-shot reply holds at most 512 bytes: what still lacks
// after the one-shot asks (a printer's long TXT) is asked once more by an
// ordinary multicast query, whose answer has no such limit.
func (b *browser) resolve() {
	qs := make([][]dns.Question, len(b.links))
	for _, e := range b.order {
		if e.reported || b.links[e.link].dead {
			continue
		}
		k := key(e.name)
		srv, hasSRV := b.srv[k]
		_, hasTXT := b.txt[k]
		var q []dns.Question
		asked := &e.askedSRV
		switch {
		case !hasSRV || !hasTXT:
			q = []dns.Question{
				{Name: e.name, Qtype: dns.TypeSRV, Qclass: dns.ClassINET},
				{Name: e.name, Qtype: dns.TypeTXT, Qclass: dns.ClassINET},
			}
		case len(b.addrs[key(srv.target)]) == 0:
			q = []dns.Question{
				{Name: srv.target, Qtype: dns.TypeA, Qclass: dns.ClassINET},
				{Name: srv.target, Qtype: dns.TypeAAAA, Qclass: dns.ClassINET},
			}
			asked = &e.askedA
		default:
			continue
		}
		switch {
		case *asked < maxAsks:
			*asked++
			qs[e.link] = append(qs[e.link], q...)
		case !e.askedMC:
			e.askedMC = true
			b.queryMulticast(e.link, q)
		}
	}
	for i, q := range qs {
		if len(q) > 0 {
			b.query(i, q)
		}
	}
}

// query sends questions on link i, one per message: a responder answers
// a one-shot query with a single packet of at most 512 bytes that repeats
// the questions and drops the records that do not fit (avahi does, without
// setting TC), so several questions per message would crowd out answers. A
// failed send marks the link dead and moves it to Stats.Skipped: its
// queries cannot leave, so nothing would come back.
func (b *browser) query(i int, qs []dns.Question) {
	l := &b.links[i]
	for _, q := range qs {
		if l.dead {
			return
		}
		// A one-shot query carries a non-zero ID that the unicast answer
		// repeats (RFC 6762 §6.7); it is not checked, any answer is news.
		m := &dns.Msg{Question: []dns.Question{q}}
		m.Id = dns.Id()
		buf, err := m.Pack()
		if err != nil {
			continue // a name too long to pack: skip it, not the link
		}
		if _, err := l.conn.WriteToUDPAddrPort(buf, mdnsGroup); err != nil {
			l.dead = true
			b.stats.Skipped[l.name] = "sending query: " + err.Error()
		}
	}
}

// queryMulticast sends qs in one ordinary mDNS query (ID 0) from link i's
// port-5353 listener, if it has one; the answers come back by multicast.
// A failed send is not a dead link: the one-shot socket still works.
func (b *browser) queryMulticast(i int, qs []dns.Question) {
	l := &b.links[i]
	if l.dead || l.mc == nil {
		return
	}
	if buf, err := (&dns.Msg{Question: qs}).Pack(); err == nil {
		_, _ = l.mc.WriteToUDPAddrPort(buf, mdnsGroup)
	}
}

func (b *browser) alive() int {
	n := 0
	for _, l := range b.links {
		if !l.dead {
			n++
		}
	}
	return n
}
