package onvif

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// TestClientHang: a device that accepts the request and never answers. The
// caller's ctx deadline must end the call promptly.
func TestClientHang(t *testing.T) {
	release := make(chan struct{})
	url := serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close (LIFO)
	c := newClient(t, url, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDeviceInformation(ctx)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("GetDeviceInformation() took %v; want about 200ms", el)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetDeviceInformation() error = %v; want context.DeadlineExceeded", err)
	}

	// Config.Timeout alone (no caller deadline) also ends the call.
	c = newClient(t, url, Config{Timeout: 200 * time.Millisecond})
	start = time.Now()
	if _, err := c.GetScopes(context.Background()); err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("GetScopes() with Timeout 200ms = %v after %v; want an error within 2s", err, time.Since(start))
	}
}

// TestClientBodyCap: a 10 MiB answer, with and without Content-Length, is
// cut at the cap and reported as ErrBodyTooLarge.
func TestClientBodyCap(t *testing.T) {
	const size = 10 << 20
	for _, withLength := range []bool{true, false} {
		t.Run("content-length="+strconv.FormatBool(withLength), func(t *testing.T) {
			url := serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
				if withLength {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				io.WriteString(w, `<?xml version="1.0"?><s:Envelope xmlns:s="`+nsSOAP12+`"><s:Body>`)
				chunk := strings.Repeat("x", 64<<10)
				for sent := 0; sent < size-(64<<10); sent += len(chunk) {
					if _, err := io.WriteString(w, chunk); err != nil {
						return // client hung up at the cap
					}
				}
			})
			_, err := newClient(t, url, Config{}).GetDeviceInformation(context.Background())
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Errorf("GetDeviceInformation() error = %v; want ErrBodyTooLarge", err)
			}
		})
	}
}

// TestClientBadResponses: malformed or unexpected bodies are errors, never
// panics or empty successes; a fault is recognised whatever the status.
func TestClientBadResponses(t *testing.T) {
	info := string(readFixture(t, "hikvision-GetDeviceInformation.xml"))
	fault := string(readFixture(t, "axis-Fault-NotAuthorized.xml"))
	action := string(readFixture(t, "axis-GetServices-Fault-ActionFailed.xml"))
	tests := []struct {
		name      string
		status    int
		body      string
		wantFault bool
		wantNA    bool
		wantCode  int // StatusError code, 0 if none
	}{
		{name: "truncated", status: 200, body: info[:len(info)/2]},
		{name: "not xml", status: 200, body: "hello"},
		{name: "empty", status: 200, body: ""},
		{name: "html page", status: 200, body: "<html><body>login</body></html>"},
		{name: "mismatched tags", status: 200, body: `<s:Envelope xmlns:s="` + nsSOAP12 + `"><s:Body></x:Body></s:Envelope>`},
		{name: "wrong response element", status: 200, body: string(readFixture(t, "hikvision-GetScopes.xml"))},
		{name: "fault with 200", status: 200, body: fault, wantFault: true, wantNA: true},
		{name: "fault with 400", status: 400, body: fault, wantFault: true, wantNA: true},
		{name: "action fault with 500", status: 500, body: action, wantFault: true},
		{name: "500 without fault", status: 500, body: "oops", wantCode: 500},
		{name: "good body with 500", status: 500, body: info, wantCode: 500},
		{name: "401 no challenge", status: 401, body: "", wantNA: true, wantCode: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			got, err := newClient(t, url, Config{}).GetDeviceInformation(context.Background())
			var oe *Error
			var f *Fault
			var se *StatusError
			switch {
			case err == nil:
				t.Fatalf("GetDeviceInformation() = %+v, nil; want error", got)
			case !errors.As(err, &oe):
				t.Errorf("GetDeviceInformation() error = %T; want *Error", err)
			case errors.As(err, &f) != tt.wantFault:
				t.Errorf("GetDeviceInformation() error = %v; want fault %v", err, tt.wantFault)
			case errors.Is(err, ErrNotAuthorized) != tt.wantNA:
				t.Errorf("errors.Is(%v, ErrNotAuthorized) = %v; want %v", err, !tt.wantNA, tt.wantNA)
			case tt.wantCode != 0 && (!errors.As(err, &se) || se.StatusCode != tt.wantCode):
				t.Errorf("GetDeviceInformation() error = %v; want StatusError %d", err, tt.wantCode)
			}
		})
	}
}

// TestClientCharset: ISO-8859-1 and Windows-1252 bodies, declared in the
// XML declaration, in the Content-Type, or both, decode to the same text.
func TestClientCharset(t *testing.T) {
	const model = "Caméra dôme Ø12 – façade"
	doc := func(decl string) string {
		return `<?xml version="1.0"` + decl + `?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<SOAP-ENV:Body><tds:GetDeviceInformationResponse><tds:Manufacturer>Vidéo</tds:Manufacturer>
<tds:Model>` + model + `</tds:Model></tds:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	}
	tests := []struct {
		name, decl, contentType string
		enc                     *charmap.Charmap
		model                   string
	}{
		{name: "latin1 in declaration", decl: ` encoding="ISO-8859-1"`, contentType: "application/soap+xml", enc: charmap.ISO8859_1, model: strings.ReplaceAll(model, "–", "-")},
		{name: "latin1 in content-type", contentType: "application/soap+xml; charset=ISO-8859-1", enc: charmap.ISO8859_1, model: strings.ReplaceAll(model, "–", "-")},
		{name: "latin1 in both", decl: ` encoding="iso-8859-1"`, contentType: "application/soap+xml; charset=iso-8859-1", enc: charmap.ISO8859_1, model: strings.ReplaceAll(model, "–", "-")},
		{name: "windows-1252", decl: ` encoding="windows-1252"`, contentType: "text/xml", enc: charmap.Windows1252, model: model},
		{name: "header lies, declaration wins", decl: ` encoding="UTF-8"`, contentType: "text/xml; charset=ISO-8859-1", model: model},
		{name: "utf-8", decl: ` encoding="UTF-8"`, contentType: "application/soap+xml; charset=utf-8", model: model},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(doc(tt.decl))
			if tt.enc != nil {
				s := strings.ReplaceAll(string(body), model, tt.model)
				var err error
				if body, err = tt.enc.NewEncoder().Bytes([]byte(s)); err != nil {
					t.Fatal(err)
				}
			}
			url := serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Write(body)
			})
			got, err := newClient(t, url, Config{}).GetDeviceInformation(context.Background())
			if err != nil || got.Model != tt.model || got.Manufacturer != "Vidéo" {
				t.Errorf("GetDeviceInformation() = %+v, %v; want model %q, manufacturer Vidéo", got, err, tt.model)
			}
		})
	}
}
