package inventory_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

const crashRows = 10_000

// TestCrashChild is not a test on its own: TestKillDuringImport runs the test
// binary again with SITEKEEPER_CRASH_DB set, and this is what that child
// does: import 10,000 devices in one transaction and get killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("SITEKEEPER_CRASH_DB")
	if path == "" {
		t.Skip("helper for TestKillDuringImport")
	}
	db, err := inventory.Open(path)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	block := os.Getenv("SITEKEEPER_CRASH_MODE") == "block"
	devices := make([]inventory.Device, crashRows)
	for i := range devices {
		devices[i] = inventory.Device{Known: inventory.Known{Name: fmt.Sprintf("camera %05d", i), Site: "HQ",
			MAC: fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff)}}
	}
	fmt.Println("START")
	_, err = db.Import(context.Background(), devices, func(done, total int) {
		if block && done == total/2 {
			fmt.Println("HALF")
			select {} // wait here, inside the transaction, for the kill
		}
	})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	db.Close()
	fmt.Println("DONE")
	os.Exit(0)
}

// TestKillDuringImport kills a real process with SIGKILL in the middle of a
// 10,000-row import and checks that the reopened inventory holds all of it
// or none of it.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		mode  string
		delay func() time.Duration
	}{
		{"halfway through the transaction", "block", func() time.Duration { return 0 }},
		{"at a random moment 1", "free", func() time.Duration { return time.Duration(rand.IntN(400)) * time.Millisecond }},
		{"at a random moment 2", "free", func() time.Duration { return time.Duration(rand.IntN(400)) * time.Millisecond }},
		{"at a random moment 3", "free", func() time.Duration { return time.Duration(rand.IntN(400)) * time.Millisecond }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "inventory.db")
			cmd := exec.Command(exe, "-test.run=^TestCrashChild$")
			cmd.Env = append(os.Environ(), "SITEKEEPER_CRASH_DB="+path, "SITEKEEPER_CRASH_MODE="+tc.mode)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			want := "START"
			if tc.mode == "block" {
				want = "HALF"
			}
			seen := false
			for lines.Scan() {
				if lines.Text() == want {
					seen = true
					break
				}
				t.Logf("child: %s", lines.Text())
			}
			if !seen {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("the child never reached %s: it failed before the import, so this run proves nothing", want)
			}
			time.Sleep(tc.delay()) // the moment of the crash, not a wait for a result
			_ = cmd.Process.Kill()
			_ = cmd.Wait()

			db, err := inventory.Open(path)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer db.Close()
			ds, err := db.Devices(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n := len(ds); n != 0 && n != crashRows {
				t.Fatalf("after kill -9: %d devices; want 0 or %d", n, crashRows)
			}
			if tc.mode == "block" && len(ds) != 0 {
				t.Fatalf("killed inside the transaction, yet %d devices were kept", len(ds))
			}
			t.Logf("after kill -9: %d devices", len(ds))
			// And the file still works.
			if _, err := db.Create(context.Background(), inventory.Device{Known: inventory.Known{Name: "after"}}); err != nil {
				t.Fatalf("writing after the crash: %v", err)
			}
		})
	}
}
