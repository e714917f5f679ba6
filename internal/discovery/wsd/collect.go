package wsd

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
)

// handle takes one datagram into the scan.
func (s *scan) handle(p packet) {
	s.stats.Received++
	if p.link >= 0 {
		s.stats.Interfaces[p.link].Received++
		p.ifname = s.links[p.link].name
	}
	if p.err != nil {
		s.stats.Malformed++
		return
	}
	switch p.msg.Kind {
	case KindProbeMatches, KindResolveMatches, KindHello, KindBye:
	default:
		s.stats.Ignored++ // Probes: other programs', and our own looped back
		return
	}
	if !s.seen.Add(&p.msg) {
		s.stats.Duplicates++
		return
	}
	switch p.msg.Kind {
	case KindHello:
		s.stats.Hellos++
	case KindBye:
		// A device leaving: nothing to find. (The watch keeps track of
		// who left; a scan reports who is here.)
		s.stats.Byes++
		return
	}
	for _, m := range p.msg.Matches {
		s.merge(p, m)
	}
}

// merge adds one match to the device it describes and reports what is new.
//
// A device heard first over IPv6 is held until the end of the wait unless
// an IPv4 reply arrives: most devices answer both, and their IPv4 address is
// the one people know, the one their XAddrs name and the one kept in the
// inventory. Only devices that answer over IPv6 alone (an IPv4 address
// from another subnet) are reported from their IPv6 reply.
func (s *scan) merge(p packet, m Match) {
	if m.EndpointRef == "" {
		s.stats.Ignored++
		return
	}
	ep, ok := s.endpoints[m.EndpointRef]
	if !ok {
		ep = &endpoint{res: Result{
			Match:     cloneMatch(m),
			From:      p.from,
			Interface: p.ifname,
			At:        p.at,
		}}
		s.endpoints[m.EndpointRef] = ep
		s.order = append(s.order, ep)
	} else {
		added := mergeMatch(&ep.res.Match, m)
		if !ep.reported && !ep.res.From.Addr().Unmap().Is4() && p.from.Addr().Unmap().Is4() {
			ep.res.From, ep.res.Interface = p.from, p.ifname
			added = true
		}
		if !added {
			s.stats.Repeats++
			return
		}
	}
	from := ep.res.From.Addr().Unmap()
	switch {
	case !from.Is4() && len(ep.res.Match.XAddrs) > 0 && !ep.reported:
		// Heard over IPv6 only so far: reported at the end of the wait.
	case p.msg.Kind == KindHello && len(ep.res.Match.Types) == 0 && !ep.reported:
		// A Hello without Types (wsdd's): what it is comes with its answer
		// to our Probes, which are on their way; reported then, or at the
		// end of the wait.
	case xaddrInFamily(ep.res.Match.XAddrs, from):
		s.report(ep)
	case ep.reported:
	default:
		// No XAddr of the family it answered over (wsdd leaves them out of
		// ProbeMatches; its ResolveMatch over IPv6 names only its IPv6
		// address): ask, once per address family.
		s.resolve(ep, s.replyLink(p))
	}
}

// xaddrInFamily reports whether one of xaddrs names an address of addr's
// family; a host name counts as either.
func xaddrInFamily(xaddrs []string, addr netip.Addr) bool {
	for _, x := range xaddrs {
		u, err := url.Parse(x)
		if err != nil {
			continue
		}
		a, err := netip.ParseAddr(u.Hostname())
		if err != nil || a.Unmap().Is4() == addr.Unmap().Is4() {
			return true
		}
	}
	return false
}

// replyLink is the link to answer packet p on: its own, or for an
// announcement the link of its interface and address family (-1: none).
func (s *scan) replyLink(p packet) int {
	if p.link >= 0 {
		return p.link
	}
	for i, l := range s.links {
		if l.name == p.ifname && l.local.Addr().Is4() == p.from.Addr().Unmap().Is4() {
			return i
		}
	}
	return -1
}

// resolve multicasts a Resolve for ep on link i, once per device and
// address family.
func (s *scan) resolve(ep *endpoint, i int) {
	if i < 0 {
		return // announced on an interface we do not probe
	}
	l := s.links[i]
	family := &ep.resolved6
	if l.local.Addr().Is4() {
		family = &ep.resolved4
	}
	if *family {
		return
	}
	*family = true
	_, err := l.conn.WriteToUDPAddrPort(Resolve(ep.res.Match.EndpointRef, NewMessageID()), l.group)
	if err != nil {
		if s.resolveErr[i] == nil {
			s.resolveErr[i] = fmt.Errorf("resolving on %s: %w", l.name, err)
		}
		return
	}
	s.stats.Interfaces[i].ResolvesSent++
}

// report calls onResult with a copy of ep's result.
func (s *scan) report(ep *endpoint) {
	r := ep.res
	r.Match = cloneMatch(r.Match)
	r.Class = r.Match.Class()
	r.Scope = r.Match.ScopeInfo()
	r.Update = ep.reported
	ep.reported = true
	if s.onResult != nil {
		s.onResult(r)
	}
}

func cloneMatch(m Match) Match {
	m.Types = slices.Clone(m.Types)
	m.RawTypes = slices.Clone(m.RawTypes)
	m.Scopes = slices.Clone(m.Scopes)
	m.XAddrs = slices.Clone(m.XAddrs)
	return m
}

// mergeMatch adds to dst the Types, Scopes and XAddrs of src it lacks and
// reports whether anything was added.
func mergeMatch(dst *Match, src Match) bool {
	changed := false
	for i, t := range src.Types {
		if !slices.Contains(dst.Types, t) {
			dst.Types = append(dst.Types, t)
			if i < len(src.RawTypes) {
				dst.RawTypes = append(dst.RawTypes, src.RawTypes[i])
			}
			changed = true
		}
	}
	dst.Scopes, changed = union(dst.Scopes, src.Scopes, changed)
	dst.XAddrs, changed = union(dst.XAddrs, src.XAddrs, changed)
	dst.MetadataVersion = max(dst.MetadataVersion, src.MetadataVersion)
	return changed
}

func union(dst, src []string, changed bool) ([]string, bool) {
	for _, v := range src {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
			changed = true
		}
	}
	return dst, changed
}
