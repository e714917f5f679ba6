// Package health checks whether a site's devices are alive and sound: ICMP
// echo, TCP connect to known service ports, HTTP/HTTPS (status, and the
// certificate's expiry, issuer and protocol version), RTSP OPTIONS, ONVIF
// GetSystemDateAndTime (is the clock right?) and SNMP sysUpTime/sysDescr
// (has it rebooted?). CheckDevice runs the checks that apply to one device
// and sums them up as OK, Degraded or Down in plain words. Scheduling,
// debouncing and history live elsewhere; a check is one synchronous call.
//
// # Where sockets are opened
//
// Every check that connects takes Target.Dial, so the lab can pass
// lab.ScannerDial. ICMP and SNMP open datagram sockets through libraries
// that dial themselves, so they call Target.Enter around the code that
// creates the socket (the lab passes lab.InScanner, which runs it on an OS
// thread inside the scanner's network namespace):
//
//   - pro-bing v0.9.1: Pinger.RunWithContext resolves the address (we set it
//     with SetIPAddr, so nothing is looked up), then opens its one socket
//     (icmp.ListenPacket) synchronously on the calling goroutine, and only
//     then starts three goroutines (an errgroup: a ctx watcher, the receiver
//     and the send loop) that use that socket and never open another. All
//     of them have returned when RunWithContext returns. So the whole
//     RunWithContext call runs inside Enter; the goroutines it starts may run
//     on other threads, which is harmless because a socket belongs to the
//     namespace it was created in.
//   - gosnmp v1.47.0: GoSNMP.Connect opens the UDP socket (net.Dialer) on the
//     calling goroutine and nothing later opens another for UDP (only TCP
//     transport reconnects). So Connect runs inside Enter; Get runs outside.
//
// # Privileged and unprivileged ICMP
//
// ICMPAuto tries, in order: an unprivileged ICMP socket ("udp4" ping socket:
// Linux when net.ipv4.ping_group_range admits our group — the default "1 0"
// admits nobody, not even root — and macOS), a raw socket (root or
// CAP_NET_RAW on Linux), then a TCP connect to the first known port. A method
// that cannot open its socket is skipped; the Result's Method names the one
// used. On Windows, pro-bing's "udp" mode always fails ("the requested
// protocol has not been configured"), so ICMPAuto starts with pro-bing's
// privileged mode, which there opens an ICMP socket that works without
// elevation (pro-bing's README; tested on Windows 10 upstream). Windows
// Firewall may still drop the echo replies; a device that does not answer
// ping but answers a port is not Down (see CheckDevice).
package health
