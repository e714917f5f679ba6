//go:build linux

package lab

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLabAvahiStartStop(t *testing.T) {
	SkipUnlessLab(t)
	SkipUnlessAvahi(t)
	l := upLab(t, 0)
	start := time.Now()
	_, a := AvahiForTest(t, l, nil, AvahiConfig{
		HostName: "cam-test",
		Services: []AvahiService{
			{Name: "Cam <1> & co", Type: "_http._tcp", Port: 80, TXT: []string{"path=/"}},
			{Name: "Cam <1> & co", Type: "_rtsp._tcp", Port: 554},
		},
	})
	t.Logf("avahi established in %v", time.Since(start))
	log := a.Log()
	if !slices.ContainsFunc(log, func(s string) bool { return strings.Contains(s, "Host name is cam-test.local") }) {
		t.Errorf("avahi log has no host name cam-test.local:\n%s", strings.Join(log, "\n"))
	}
	if err := a.Stop(); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if running(a.cmd.Process.Pid) {
		t.Errorf("avahi pid %d still running after Stop", a.cmd.Process.Pid)
	}
}
