package health

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// RTSP response limits: real OPTIONS answers are a few hundred bytes.
const (
	maxRTSPHeader  = 16 << 10
	maxRTSPFields  = 64
	maxRTSPMethods = 32
)

// errNotRTSP is an answer that is not an RTSP response.
var errNotRTSP = errors.New("not an RTSP response")

// rtspResponse is the status line and header of an RTSP response.
type rtspResponse struct {
	Version string // "RTSP/1.0"
	Status  int
	Reason  string
	// Header holds the fields by lower-case name; repeated fields are
	// joined with ", ".
	Header map[string]string
}

// CheckRTSP sends RTSP OPTIONS to port p of t.Addr through t.Dial and reads
// the answer's status line and header (bounded; the body is not read). Any
// RTSP status below 500 means the video service works — 401 included: it
// asks for a login, so it answers. 5xx, or an answer that is not RTSP, is
// Degraded; no answer is Down.
func CheckRTSP(ctx context.Context, t Target, p uint16) Result {
	r := Result{Check: "rtsp:" + strconv.Itoa(int(p)), Method: MethodRTSP}
	ctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	start := time.Now()
	c, err := t.dial(ctx, "tcp", t.hostPort(p))
	if err != nil {
		r.State = Down
		r.Detail, r.Answered = connectFailure(p, err)
		return r
	}
	defer c.Close()
	r.Answered = true // it accepted the connection
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() }) // a cancelled check ends the read
	defer stop()

	const cseq = "1"
	req := "OPTIONS rtsp://" + t.hostPort(p) + "/ RTSP/1.0\r\nCSeq: " + cseq +
		"\r\nUser-Agent: SiteKeeper health check\r\n\r\n"
	res, err := func() (rtspResponse, error) {
		if _, err := io.WriteString(c, req); err != nil {
			return rtspResponse{}, err
		}
		return readRTSPResponse(c)
	}()
	port := "port " + strconv.Itoa(int(p))
	if err != nil {
		r.State = Degraded
		switch {
		case timedOut(err) || ctx.Err() != nil:
			r.Detail = port + " accepts connections, but the video service did not answer in time"
		case errors.Is(err, errNotRTSP):
			r.Detail = port + " answers, but not as a video (RTSP) service: " + err.Error()
		default:
			r.Detail = port + " accepts connections, but the video service's answer failed: " + err.Error()
		}
		return r
	}
	r.Latency = time.Since(start)
	if got, ok := res.Header["cseq"]; ok && strings.TrimSpace(got) != cseq {
		r.State = Degraded
		r.Detail = port + " answers with another request's sequence number (CSeq " + strconv.Quote(got) + "): not a working RTSP service"
		return r
	}
	r.RTSP = &RTSPInfo{Status: res.Status, Public: publicMethods(res.Header["public"]), Server: res.Header["server"]}
	status := strconv.Itoa(res.Status) + " " + res.Reason
	switch {
	case res.Status >= 500:
		r.State = Degraded
		r.Detail = "the video service answers with an error (" + status + ")"
	case res.Status == 401 || res.Status == 403:
		r.State = OK
		r.Detail = "the video service answers and asks for a login (" + status + ")"
	default:
		r.State = OK
		r.Detail = "the video service answers (" + status + ")"
	}
	return r
}

// readRTSPResponse reads an RTSP response's status line and header from r,
// reading at most maxRTSPHeader bytes and maxRTSPFields header lines. Lines
// may end in CRLF or LF; folded (continuation) lines join the field above.
func readRTSPResponse(r io.Reader) (rtspResponse, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxRTSPHeader), 4096)
	line, err := readLine(br)
	if err != nil {
		return rtspResponse{}, err
	}
	res, err := parseStatusLine(line)
	if err != nil {
		return rtspResponse{}, err
	}
	res.Header = map[string]string{}
	last := ""
	for n := 0; ; n++ {
		line, err := readLine(br)
		if err != nil {
			return rtspResponse{}, fmt.Errorf("header: %w", err)
		}
		if line == "" {
			return res, nil
		}
		if n >= maxRTSPFields {
			return rtspResponse{}, fmt.Errorf("%w: more than %d header fields", errNotRTSP, maxRTSPFields)
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == "" {
				return rtspResponse{}, fmt.Errorf("%w: continuation line before any field", errNotRTSP)
			}
			res.Header[last] += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return rtspResponse{}, fmt.Errorf("%w: bad header line %.40q", errNotRTSP, line)
		}
		last = strings.ToLower(name)
		value = strings.TrimSpace(value)
		if old, ok := res.Header[last]; ok {
			value = old + ", " + value
		}
		res.Header[last] = value
	}
}

// readLine returns the next line without its CRLF or LF. Running out of
// input (the connection closed, or the header limit) is an error.
func readLine(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%w: line longer than %d bytes", errNotRTSP, br.Size())
	case errors.Is(err, io.EOF):
		return "", fmt.Errorf("%w: answer cut short", errNotRTSP)
	case err != nil:
		return "", err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b), nil
}

// parseStatusLine parses "RTSP/1.0 200 OK".
func parseStatusLine(line string) (rtspResponse, error) {
	version, rest, ok := strings.Cut(line, " ")
	if !ok || !validVersion(version) {
		return rtspResponse{}, fmt.Errorf("%w: status line %.40q", errNotRTSP, line)
	}
	code, reason, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || status < 100 || status > 599 {
		return rtspResponse{}, fmt.Errorf("%w: status code %.10q", errNotRTSP, code)
	}
	return rtspResponse{Version: version, Status: status, Reason: strings.TrimSpace(reason)}, nil
}

// validVersion accepts RTSP/<digit>.<digit>.
func validVersion(v string) bool {
	return len(v) == 8 && strings.HasPrefix(v, "RTSP/") &&
		isDigit(v[5]) && v[6] == '.' && isDigit(v[7])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isToken reports whether s is a non-empty RFC 2326 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// publicMethods splits a Public header into its method names.
func publicMethods(v string) []string {
	var out []string
	for m := range strings.SplitSeq(v, ",") {
		if m = strings.TrimSpace(m); m != "" && len(out) < maxRTSPMethods {
			out = append(out, m)
		}
	}
	return out
}
