//go:build windows

package console

import (
	"errors"
	"log"
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

// AttachConsole is not wrapped by golang.org/x/sys/windows (v0.50.0), so it is
// looked up lazily in kernel32, where every Windows version since XP has it.
var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// Attach connects the standard streams that have no valid handle to the
// console of the parent process (cmd.exe, PowerShell). Streams the parent
// already set up — a file redirect, a pipe, a console of our own — are kept.
// When there is no parent console (started from Explorer or a shortcut),
// Attach does nothing and the streams stay unusable, as before.
//
// Call it once, early in main, before anything writes to os.Stdout or
// os.Stderr, and only when running a subcommand: the GUI has no use for it.
func Attach() {
	inOK := valid(windows.STD_INPUT_HANDLE)
	outOK := valid(windows.STD_OUTPUT_HANDLE)
	errOK := valid(windows.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	if err := procAttachConsole.Find(); err != nil {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return // no parent console, or already attached to one
	}
	if !outOK {
		if f := open("CONOUT$", windows.STD_OUTPUT_HANDLE, "/dev/stdout"); f != nil {
			os.Stdout = f
		}
	}
	if !errOK {
		if f := open("CONOUT$", windows.STD_ERROR_HANDLE, "/dev/stderr"); f != nil {
			os.Stderr = f
			// The log package captured the old os.Stderr at init.
			log.SetOutput(f)
		}
	}
	if !inOK {
		if f := open("CONIN$", windows.STD_INPUT_HANDLE, "/dev/stdin"); f != nil {
			os.Stdin = f
		}
	}
}

// valid reports whether the standard handle std refers to something that can
// be written to or read from: a console, a file, a pipe.
func valid(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	// GetFileType returns FILE_TYPE_UNKNOWN both for a closed or stale handle
	// (last error ERROR_INVALID_HANDLE) and for a valid handle of an unknown
	// kind (no error, which x/sys reports as EINVAL).
	t, err := windows.GetFileType(h)
	return t != windows.FILE_TYPE_UNKNOWN || !errors.Is(err, windows.ERROR_INVALID_HANDLE)
}

// open opens the console device name ("CONOUT$" or "CONIN$"), makes it the
// process's standard handle std, so that child processes and C code see it
// too, and returns it as an *os.File.
func open(name string, std uint32, fileName string) *os.File {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil
	}
	h, err := windows.CreateFile(p,
		windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
		nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil
	}
	_ = windows.SetStdHandle(std, h)
	return os.NewFile(uintptr(h), fileName)
}
