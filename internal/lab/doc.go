// Package lab builds a throwaway LAN out of Linux network namespaces and
// fills it with simulated devices, for tests, benchmarks and trying
// SiteKeeper by hand. A lab is a site namespace holding bridge br0 (a dumb
// switch: IGMP snooping off), one namespace per device and one for the
// scanner, each joined to the bridge by a veth pair. One Go process serves
// every simulated device: it enters each device's namespace with setns just
// long enough to create that device's sockets (see Lab.InDevice).
//
// Safety rules, which every change here must keep (../shared/lab-notes.md §0):
//
//   - Nothing is ever sent from the default network namespace. Lab sockets are
//     created inside a lab namespace on a locked OS thread; if the thread
//     cannot switch back it stays locked and dies with its goroutine.
//   - Both ends of every veth pair live in lab namespaces (created with
//     `ip -n SITE link add … peer name eth0 netns DEV`); the default namespace
//     never gains an interface, address or route.
//   - Addresses come from 198.18.0.0/15 (RFC 2544); no lab namespace has a
//     default route (so no lookup or reply can leak toward the host's network),
//     only the connected /16 and 224.0.0.0/4 on eth0.
//   - Every namespace is named after a distinctive prefix, so that parallel
//     labs do not collide and Cleanup can remove a crashed run's leftovers
//     without touching anything else.
//
// Everything here needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's
// `ip`. The lab tests run only as root with SITEKEEPER_LAB=1.
package lab
