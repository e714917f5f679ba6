// Package console gives a Windows GUI-subsystem executable a usable command
// line.
//
// An .exe linked with -H=windowsgui starts without a console: typed in cmd.exe
// or PowerShell, `sitekeeper.exe devices --json` would print nothing. Attach
// borrows the parent's console for the standard streams that have nowhere to
// go, and leaves alone those that already do (a redirect such as
// `> out.json`, or a pipe). On other systems Attach does nothing.
//
// We attach rather than ship a second, console-subsystem binary so that users
// have one file to copy; see docs/decisions.md.
package console
