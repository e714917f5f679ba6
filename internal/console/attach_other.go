//go:build !windows

package console

// Attach does nothing outside Windows: the standard streams of a process are
// always those its parent gave it.
func Attach() {}
