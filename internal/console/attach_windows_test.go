//go:build windows

package console

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// Under `go test` the standard streams are pipes or files: valid handles
// that Attach must leave alone, as it must a `> out.json` redirect.
func TestAttachKeepsValidStreams(t *testing.T) {
	in, out, errf := os.Stdin, os.Stdout, os.Stderr
	Attach()
	if os.Stdin != in || os.Stdout != out || os.Stderr != errf {
		t.Fatalf("Attach replaced a standard stream that was already valid")
	}
}

func TestValid(t *testing.T) {
	orig, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, orig)

	tests := []struct {
		name string
		h    windows.Handle
		want bool
	}{
		{"inherited stdout", orig, true},
		{"no handle (GUI program started from a console)", 0, false},
		{"invalid handle value", windows.InvalidHandle, false},
		{"stale handle", windows.Handle(0x7ff0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, tt.h); err != nil {
				t.Fatal(err)
			}
			got := valid(windows.STD_OUTPUT_HANDLE)
			windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, orig)
			if got != tt.want {
				t.Errorf("valid(%#x) = %v; want %v", tt.h, got, tt.want)
			}
		})
	}
}
