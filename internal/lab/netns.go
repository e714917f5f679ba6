//go:build linux

package lab

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// InScanner runs fn inside the scanner's namespace, on a locked OS thread,
// and returns its error. Sockets fn creates belong to the scanner's
// namespace for their whole life, whichever thread later uses them. fn must
// do its namespace-bound work itself: goroutines it starts run in the
// default namespace.
func (l *Lab) InScanner(fn func() error) error {
	return inNamespace(scannerNS(l.prefix), fn)
}

// InDevice runs fn inside device i's namespace, as InScanner does.
func (l *Lab) InDevice(i int, fn func() error) error {
	if i < 0 || i >= l.devices {
		return fmt.Errorf("lab %s: no device %d (have %d)", l.prefix, i, l.devices)
	}
	return inNamespace(deviceNS(l.prefix, i), fn)
}

// inNamespace runs fn with the network namespace name on a fresh goroutine
// locked to its OS thread. If the thread cannot be switched back, it is left
// locked, so the runtime terminates it when the goroutine exits instead of
// reusing a thread that sits in a lab namespace.
func inNamespace(name string, fn func() error) error {
	path := filepath.Join(netnsDir, name)
	target, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("entering namespace %s: %w", name, err)
	}
	defer unix.Close(target)

	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Not deferred: an unlock must never run after a failed switch back.
		back, err := runIn(name, target, fn)
		if back {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}

// runIn does inNamespace's work on the locked thread and reports whether the
// thread is back in its original namespace.
func runIn(name string, target int, fn func() error) (back bool, err error) {
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return true, fmt.Errorf("entering namespace %s: saving the current one: %w", name, err)
	}
	defer unix.Close(orig)
	if same, err := sameFile(orig, target); err != nil || same {
		if err == nil {
			err = errors.New("it is the current namespace")
		}
		// Refuse: fn would create its sockets in the default namespace.
		return true, fmt.Errorf("entering namespace %s: %w", name, err)
	}
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		return true, fmt.Errorf("entering namespace %s: setns: %w", name, err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("in namespace %s: panic: %v", name, p)
		}
		if serr := unix.Setns(orig, unix.CLONE_NEWNET); serr != nil {
			back, err = false, fmt.Errorf("leaving namespace %s: setns: %w", name, serr)
			return
		}
		back = true
	}()
	return false, fn()
}

// sameFile reports whether two descriptors name the same inode, that is the
// same namespace.
func sameFile(a, b int) (bool, error) {
	var sa, sb unix.Stat_t
	if err := unix.Fstat(a, &sa); err != nil {
		return false, fmt.Errorf("fstat: %w", err)
	}
	if err := unix.Fstat(b, &sb); err != nil {
		return false, fmt.Errorf("fstat: %w", err)
	}
	return sa.Dev == sb.Dev && sa.Ino == sb.Ino, nil
}
