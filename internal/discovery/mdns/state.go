package mdns

import (
	"net/netip"
	"slices"

	"github.com/miekg/dns"
)

// browser is one browse's state, owned by Browse's goroutine.
type browser struct {
	links   []link
	stats   Stats
	onFound func(Result)
	types   map[string]bool // browsed types ("_ipp._tcp") -> queried yet
	extra   int             // types added from the meta-query
	pending bool            // some type is not queried yet
	// metaTypes are the types the meta-query revealed.
	metaTypes map[string]bool
	// Records by lower-cased owner name, merged over every message.
	srv   map[string]srvRecord
	txt   map[string][]string
	addrs map[string][]netip.Addr
	// entries are the instances, by lower-cased instance name.
	entries map[string]*entry
	order   []*entry
}

// cacheFlush is the top bit of an mDNS record's class (RFC 6762 §10.2).
const cacheFlush = 1 << 15

type srvRecord struct {
	target string
	port   int
}

// entry is one service instance's progress.
type entry struct {
	name     string // instance name as received ("Cam\ 1._rtsp._tcp.local.")
	instance string // unescaped instance label
	service  string
	link     int // where it was first heard
	reported bool
	nAddrs   int  // addresses in the last report
	askedSRV int  // SRV+TXT questions sent
	askedA   int  // A+AAAA questions sent
	askedMC  bool // asked by multicast, once one-shot asks went unanswered
}

func newBrowser(links []link, stats Stats, onFound func(Result)) *browser {
	if stats.Skipped == nil {
		stats.Skipped = map[string]string{}
	}
	return &browser{
		links:     links,
		stats:     stats,
		onFound:   onFound,
		types:     map[string]bool{},
		metaTypes: map[string]bool{},
		srv:       map[string]srvRecord{},
		txt:       map[string][]string{},
		addrs:     map[string][]netip.Addr{},
		entries:   map[string]*entry{},
	}
}

// addType adds service type t to the browse, to be queried next.
func (b *browser) addType(t string) {
	if _, ok := b.types[t]; !ok {
		b.types[t] = false
		b.pending = true
	}
}

// handle merges one received message's records, then reports what became
// complete. Records are taken from every section: responders put SRV, TXT
// and addresses in the additional section.
func (b *browser) handle(p packet) {
	b.stats.Received++
	if p.msg == nil {
		b.stats.Malformed++
		return
	}
	if !p.msg.Response {
		return // a query, ours looped back or another querier's
	}
	rrs := slices.Concat(p.msg.Answer, p.msg.Ns, p.msg.Extra)
	// Records first, instances second: order within a message is free.
	for _, rr := range rrs {
		b.record(rr)
	}
	for _, rr := range rrs {
		if ptr, ok := rr.(*dns.PTR); ok {
			b.instance(ptr, p.link)
		}
	}
	// An address or SRV may complete instances heard in earlier messages;
	// check is cheap, so all are checked, in the order they were heard.
	for _, e := range b.order {
		b.check(e)
	}
}

// record stores one SRV, TXT, A or AAAA record, within the bounds.
func (b *browser) record(rr dns.RR) {
	h := rr.Header()
	if h.Class&^cacheFlush != dns.ClassINET {
		return
	}
	k := key(h.Name)
	switch rr := rr.(type) {
	case *dns.SRV:
		if _, ok := b.srv[k]; ok || len(b.srv) < maxNames {
			b.srv[k] = srvRecord{target: rr.Target, port: int(rr.Port)}
		}
	case *dns.TXT:
		if _, ok := b.txt[k]; ok || len(b.txt) < maxNames {
			strs := make([]string, len(rr.Txt))
			for i, s := range rr.Txt {
				strs[i] = unescapeTXT(s)
			}
			b.txt[k] = strs
		}
	case *dns.A:
		if a, ok := netip.AddrFromSlice(rr.A); ok {
			b.addAddr(k, a.Unmap())
		}
	case *dns.AAAA:
		if a, ok := netip.AddrFromSlice(rr.AAAA); ok {
			b.addAddr(k, a)
		}
	}
}

func (b *browser) addAddr(k string, a netip.Addr) {
	if !a.IsValid() || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() || (a.Is6() && a.IsLinkLocalUnicast()) {
		return
	}
	have, ok := b.addrs[k]
	if !ok && len(b.addrs) >= maxNames || len(have) >= maxAddrs || slices.Contains(have, a) {
		return
	}
	b.addrs[k] = append(have, a)
}

// instance handles a PTR record: a new type from the meta-query, or an
// instance of a browsed type.
func (b *browser) instance(ptr *dns.PTR, link int) {
	if ptr.Hdr.Ttl == 0 || ptr.Hdr.Class&^cacheFlush != dns.ClassINET {
		return // a goodbye (the service is leaving), or not Internet
	}
	owner := key(ptr.Hdr.Name)
	if owner == metaQuery {
		t, ok := serviceType(ptr.Ptr)
		if !ok {
			return
		}
		if !b.metaTypes[t] && len(b.metaTypes) < maxNames {
			b.metaTypes[t] = true
		}
		if _, ok := b.types[t]; !ok && b.extra < maxExtraTypes {
			b.extra++
			b.addType(t)
		}
		return
	}
	t, ok := serviceType(owner)
	if !ok {
		return
	}
	if _, browsed := b.types[t]; !browsed {
		return
	}
	k := key(ptr.Ptr)
	if _, ok := b.entries[k]; ok {
		return
	}
	if len(b.entries) >= maxEntries {
		return
	}
	inst, ok := instanceLabel(ptr.Ptr, fqdn(t))
	if !ok {
		return
	}
	e := &entry{name: ptr.Ptr, instance: inst, service: t, link: link}
	b.entries[k] = e
	b.order = append(b.order, e)
}

// check reports e when it became complete, or again when its host gained
// addresses since the last report.
func (b *browser) check(e *entry) {
	k := key(e.name)
	srv, hasSRV := b.srv[k]
	_, hasTXT := b.txt[k]
	if !hasSRV {
		return
	}
	n := len(b.addrs[key(srv.target)])
	switch {
	case !e.reported && hasTXT && n > 0:
		b.report(e)
	case e.reported && n > e.nAddrs:
		b.report(e)
	}
}

// report calls onFound with e's merged result.
func (b *browser) report(e *entry) {
	k := key(e.name)
	r := Result{
		Instance:  e.instance,
		Service:   e.service,
		Interface: b.links[e.link].name,
		Update:    e.reported,
		TXT:       ParseTXT(b.txt[k]),
	}
	if srv, ok := b.srv[k]; ok {
		r.Host = srv.target
		r.Port = srv.port
		r.Addrs = slices.Clone(b.addrs[key(srv.target)])
	}
	r.MAC, r.Manufacturer, r.Model = describe(r.Service, r.Instance, r.TXT)
	if !e.reported {
		b.stats.Results++
	}
	e.reported = true
	e.nAddrs = len(r.Addrs)
	if b.onFound != nil {
		b.onFound(r)
	}
}
