package health

import (
	"context"
	"strconv"
	"time"
)

// CheckTCP connects to port p of t.Addr through t.Dial and closes the
// connection at once. A refusal is Down for the port, but Answered: the
// device itself is on.
func CheckTCP(ctx context.Context, t Target, p uint16) Result {
	ctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	r := Result{Check: "tcp:" + strconv.Itoa(int(p)), Method: MethodTCPConnect}
	start := time.Now()
	c, err := t.dial(ctx, "tcp", t.hostPort(p))
	if err != nil {
		r.State = Down
		r.Detail, r.Answered = connectFailure(p, err)
		return r
	}
	r.Latency = time.Since(start)
	_ = c.Close()
	r.State, r.Answered = OK, true
	r.Detail = "port " + strconv.Itoa(int(p)) + " accepts connections (" + roundLatency(r.Latency).String() + ")"
	return r
}
