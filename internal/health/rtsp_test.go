package health

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// gstOptions is gst-rtsp-server's answer to OPTIONS (lab-notes §6).
const gstOptions = "RTSP/1.0 200 OK\r\nCSeq: 1\r\n" +
	"Public: OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, RECORD, SETUP, SET_PARAMETER, TEARDOWN\r\n" +
	"Server: GStreamer RTSP server\r\nDate: Thu, 26 Nov 2026 20:00:00 GMT\r\n\r\n"

func TestReadRTSPResponse(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantStatus int
		wantPublic []string
		wantErr    bool
	}{
		{"gstreamer", gstOptions, 200, strings.Split("OPTIONS,DESCRIBE,ANNOUNCE,GET_PARAMETER,PAUSE,PLAY,RECORD,SETUP,SET_PARAMETER,TEARDOWN", ","), false},
		{"bare LF", "RTSP/1.0 200 OK\nCSeq: 1\nPublic: OPTIONS,DESCRIBE\n\n", 200, []string{"OPTIONS", "DESCRIBE"}, false},
		{"401 no reason", "RTSP/1.0 401\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm=\"x\"\r\n\r\n", 401, nil, false},
		{"folded public", "RTSP/1.0 200 OK\r\nPublic: OPTIONS,\r\n DESCRIBE\r\n\r\n", 200, []string{"OPTIONS", "DESCRIBE"}, false},
		{"repeated public", "RTSP/1.0 200 OK\r\nPublic: OPTIONS\r\nPublic: PLAY\r\n\r\n", 200, []string{"OPTIONS", "PLAY"}, false},
		{"rtsp 2.0", "RTSP/2.0 200 OK\r\n\r\n", 200, nil, false},
		{"http answer", "HTTP/1.1 200 OK\r\n\r\n", 0, nil, true},
		{"garbage", "\x00\x01\x02garbage\r\n\r\n", 0, nil, true},
		{"status 999", "RTSP/1.0 999 What\r\n\r\n", 0, nil, true},
		{"status word", "RTSP/1.0 OK 200\r\n\r\n", 0, nil, true},
		{"cut short", "RTSP/1.0 200 OK\r\nCSeq: 1\r\n", 0, nil, true},
		{"empty", "", 0, nil, true},
		{"no colon", "RTSP/1.0 200 OK\r\nbroken header\r\n\r\n", 0, nil, true},
		{"continuation first", "RTSP/1.0 200 OK\r\n folded\r\n\r\n", 0, nil, true},
		{"huge line", "RTSP/1.0 200 OK\r\nX: " + strings.Repeat("a", 10000) + "\r\n\r\n", 0, nil, true},
		{"huge header", "RTSP/1.0 200 OK\r\n" + strings.Repeat("X-A: b\r\n", 3000) + "\r\n", 0, nil, true},
		{"endless", "RTSP/1.0 200 OK\r\n" + strings.Repeat("X-A: "+strings.Repeat("b", 1000)+"\r\n", 100), 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readRTSPResponse(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("readRTSPResponse(%.40q) error = %v; want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, errNotRTSP) {
					t.Errorf("readRTSPResponse(%.40q) error = %v; want errNotRTSP", tt.in, err)
				}
				return
			}
			if got.Status != tt.wantStatus {
				t.Errorf("readRTSPResponse(%.40q).Status = %d; want %d", tt.in, got.Status, tt.wantStatus)
			}
			if p := publicMethods(got.Header["public"]); !slices.Equal(p, tt.wantPublic) {
				t.Errorf("public = %q; want %q", p, tt.wantPublic)
			}
		})
	}
}

// rtspServer answers each request with reply(cseq) after reading its header.
func rtspServer(t *testing.T, reply func(cseq string) string) uint16 {
	return listen(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		cseq := ""
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if k, v, ok := strings.Cut(line, ":"); ok && k == "CSeq" {
				cseq = strings.TrimSpace(v)
			}
			if line == "\r\n" {
				break
			}
		}
		_, _ = io.WriteString(c, reply(cseq))
	})
}

func TestCheckRTSP(t *testing.T) {
	hang := listen(t, hangUp)
	flood := listen(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "RTSP/1.0 200 OK\r\n")
		for {
			if _, err := io.WriteString(c, "X-Flood: "+strings.Repeat("z", 500)+"\r\n"); err != nil {
				return
			}
		}
	})
	tests := []struct {
		name         string
		port         uint16
		want         State
		wantAnswered bool
		wantInDetail string
	}{
		{"ok", rtspServer(t, func(string) string { return gstOptions }), OK, true, "answers (200 OK)"},
		{"401", rtspServer(t, func(cs string) string { return "RTSP/1.0 401 Unauthorized\r\nCSeq: " + cs + "\r\n\r\n" }), OK, true, "asks for a login"},
		{"503", rtspServer(t, func(cs string) string { return "RTSP/1.0 503 Service Unavailable\r\nCSeq: " + cs + "\r\n\r\n" }), Degraded, true, "error (503"},
		{"wrong cseq", rtspServer(t, func(string) string { return "RTSP/1.0 200 OK\r\nCSeq: 7\r\n\r\n" }), Degraded, true, "sequence number"},
		{"http", rtspServer(t, func(string) string { return "HTTP/1.1 400 Bad Request\r\n\r\n" }), Degraded, true, "not as a video (RTSP) service"},
		{"garbage", rtspServer(t, func(string) string { return "\xff\xfe\x00junk" }), Degraded, true, "not as a video"},
		{"hang", hang, Degraded, true, "did not answer in time"},
		{"flood", flood, Degraded, true, "not as a video"},
		{"closed", closedPort(t), Down, true, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := loopTarget(t)
			tg.Timeout = 500 * time.Millisecond
			start := time.Now()
			r := CheckRTSP(context.Background(), tg, tt.port)
			if r.State != tt.want || r.Answered != tt.wantAnswered || !strings.Contains(r.Detail, tt.wantInDetail) {
				t.Errorf("CheckRTSP = %v answered=%v %q; want %v answered=%v containing %q",
					r.State, r.Answered, r.Detail, tt.want, tt.wantAnswered, tt.wantInDetail)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("CheckRTSP took %v; want within the 500ms timeout", took)
			}
			if r.Method != MethodRTSP {
				t.Errorf("Method = %q; want %q", r.Method, MethodRTSP)
			}
		})
	}
}

func FuzzReadRTSPResponse(f *testing.F) {
	for _, s := range []string{
		gstOptions,
		"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm=\"GStreamer RTSP Server\", nonce=\"abc\"\r\n\r\n",
		"RTSP/1.0 200 OK\nPublic: OPTIONS,\n DESCRIBE\n\n",
		"HTTP/1.1 200 OK\r\n\r\n",
		"RTSP/1.0 200 OK\r\nCSeq: 1\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := readRTSPResponse(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		if res.Status < 100 || res.Status > 599 || !validVersion(res.Version) {
			t.Fatalf("accepted bad status line: %+v", res)
		}
		if len(res.Header) > maxRTSPFields {
			t.Fatalf("%d header fields; limit %d", len(res.Header), maxRTSPFields)
		}
		if n := len(publicMethods(res.Header["public"])); n > maxRTSPMethods {
			t.Fatalf("%d public methods; limit %d", n, maxRTSPMethods)
		}
	})
}
