//go:build linux

package lab

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartWSDDRefusesBadConfig(t *testing.T) {
	l := &Lab{prefix: "sktx"}
	h := Host{Namespace: "sktx-h0"}
	for _, cfg := range []WSDDConfig{{Name: "has space"}, {Name: "MUCH-TOO-LONG-NAME"}, {UUID: "not-a-uuid"}, {Workgroup: "a;b"}} {
		if _, err := l.StartWSDD(t.Context(), h, cfg); err == nil {
			t.Errorf("StartWSDD(%+v) = nil; want an error", cfg)
		}
	}
	if _, err := l.StartWSDD(t.Context(), Host{Namespace: "other-h0"}, WSDDConfig{}); err == nil {
		t.Error("StartWSDD in another lab's namespace = nil; want an error")
	}
}

func TestNamespaceUUID(t *testing.T) {
	a, b := namespaceUUID("skt1-h0"), namespaceUUID("skt1-h1")
	if !uuidRE.MatchString(a) || a == b || a != namespaceUUID("skt1-h0") || a[14] != '5' {
		t.Errorf("namespaceUUID = %s, %s; want stable, distinct version-5 UUIDs", a, b)
	}
}

// TestWSDD starts a real wsdd and asks its HTTP service for its metadata
// (WS-Transfer Get) from the scanner, as Windows does after a Resolve.
func TestWSDD(t *testing.T) {
	requireLab(t)
	l := upLab(t, 0)
	h, w := WSDDForTest(t, l, WSDDConfig{Name: "FILESRV"})
	for _, f := range []string{"hosts", "resolv.conf"} {
		if _, err := os.Stat(filepath.Join(etcNetnsDir, h.Namespace, f)); err != nil {
			t.Errorf("%s overlay: %v", f, err)
		}
	}
	get := `<?xml version="1.0" encoding="utf-8"?>` +
		`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">` +
		`<soap:Header><wsa:To>` + w.EndpointRef() + `</wsa:To>` +
		`<wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</wsa:Action>` +
		`<wsa:MessageID>urn:uuid:0f5d2c4e-1a2b-4c3d-8e9f-000000000001</wsa:MessageID>` +
		`<wsa:ReplyTo><wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>` +
		`</soap:Header><soap:Body/></soap:Envelope>`
	hc := &http.Client{Transport: &http.Transport{DialContext: l.ScannerDial}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Post(w.XAddr(), "application/soap+xml", strings.NewReader(get))
	if err != nil {
		t.Fatalf("Get %s: %v", w.XAddr(), err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("WSD Device FILESRV")) {
		t.Errorf("Get %s: %d %s; want 200 with FriendlyName WSD Device FILESRV", w.XAddr(), resp.StatusCode, body)
	}

	if err := w.Stop(); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if running(w.cmd.Process.Pid) {
		t.Errorf("wsdd pid %d still running after Stop", w.cmd.Process.Pid)
	}
}
