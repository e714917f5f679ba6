package inventory

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Alert is one thing a person should know about, as stored: the alerts
// list, its badge and the senders (internal/alert) read it. Message is
// already worded for a facility manager (internal/alert writes it).
type Alert struct {
	// ID is given by AddAlerts; any ID passed in is replaced.
	ID string `json:"id"`
	// Kind is what the alert is about: "offline", "online", "degraded",
	// "test" and the others internal/alert names.
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"`
	DeviceID string    `json:"device_id,omitempty"`
	// Message is the alert in plain words, with what to do.
	Message string `json:"message"`
	// Acknowledged is when a person said they had seen it (zero: not yet).
	Acknowledged time.Time `json:"acknowledged,omitzero"`
}

// MaxAlerts is how many alerts the inventory keeps. Past it, AddAlerts drops
// the oldest acknowledged alerts first, then the oldest of the rest: a site
// that flaps for months must not grow the file without end, and what a
// person has not seen yet goes last.
const MaxAlerts = 10_000

// alertRecord is an Alert as stored; the ID is the key.
type alertRecord struct {
	Kind         string    `json:"kind"`
	At           time.Time `json:"at"`
	DeviceID     string    `json:"device_id,omitempty"`
	Message      string    `json:"message"`
	Acknowledged time.Time `json:"acknowledged,omitzero"`
}

func (r *alertRecord) alert(k []byte) Alert {
	return Alert{ID: hex.EncodeToString(k), Kind: r.Kind, At: r.At, DeviceID: r.DeviceID, Message: r.Message, Acknowledged: r.Acknowledged}
}

func decodeAlert(k, v []byte) (alertRecord, error) {
	var r alertRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("alert %x: %w: %v", k, ErrCorrupt, err)
	}
	return r, nil
}

// alertKeyOf is the key an alert ID names, or nil if it names none.
func alertKeyOf(id string) []byte {
	k, err := hex.DecodeString(id)
	if err != nil || len(k) != 16 {
		return nil
	}
	return k
}

func checkAlert(i int, a *Alert) error {
	switch {
	case strings.TrimSpace(a.Kind) == "":
		return fmt.Errorf("alert %d: needs a kind", i+1)
	case strings.TrimSpace(a.Message) == "":
		return fmt.Errorf("alert %d (%s): needs a message", i+1, a.Kind)
	case a.At.Before(time.Unix(0, 0)) || a.At.Year() > 2200:
		return fmt.Errorf("alert %d (%s): time %v is out of range", i+1, a.Kind, a.At)
	}
	return nil
}

// AddAlerts stores alerts in one transaction and returns them with their
// IDs, in the order given. An alert without a time is dated now. The
// device need not be in the inventory: alerts are history, and Delete
// leaves them. Past MaxAlerts, the oldest are dropped (see MaxAlerts).
func (e *engine) AddAlerts(ctx context.Context, alerts []Alert) ([]Alert, error) {
	if len(alerts) == 0 {
		return nil, nil
	}
	out := slices.Clone(alerts)
	now := e.now().UTC()
	for i := range out {
		if out[i].At.IsZero() {
			out[i].At = now
		}
		out[i].At = out[i].At.UTC()
		out[i].Acknowledged = out[i].Acknowledged.UTC()
		if err := checkAlert(i, &out[i]); err != nil {
			return nil, err
		}
	}
	err := e.kv.update(ctx, func(tx kvTx) error {
		for i := range out {
			a := &out[i]
			seq, err := tx.nextSequence(bucketAlerts)
			if err != nil {
				return err
			}
			k := alertKey(a.At, seq)
			a.ID = hex.EncodeToString(k)
			if err := putJSON(tx, bucketAlerts, k, alertRecord{Kind: a.Kind, At: a.At, DeviceID: a.DeviceID, Message: a.Message, Acknowledged: a.Acknowledged}); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return pruneAlerts(tx, MaxAlerts)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pruneAlerts drops alerts past max: the oldest acknowledged ones first,
// then the oldest. It reads the values only when there is something to drop.
func pruneAlerts(tx kvTx, max int) error {
	var keys [][]byte
	if err := tx.scan(bucketAlerts, nil, func(k, _ []byte) error {
		keys = append(keys, slices.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	excess := len(keys) - max
	if excess <= 0 {
		return nil
	}
	drop := map[string]bool{}
	for _, k := range keys {
		if len(drop) == excess {
			break
		}
		r, err := decodeAlert(k, tx.get(bucketAlerts, k))
		if err != nil {
			return err
		}
		if !r.Acknowledged.IsZero() {
			drop[string(k)] = true
		}
	}
	for _, k := range keys { // not enough acknowledged: the oldest of the rest
		if len(drop) == excess {
			break
		}
		drop[string(k)] = true
	}
	for k := range drop {
		if err := tx.del(bucketAlerts, []byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// Alerts returns the newest alerts first, at most limit of them (limit 0
// or less: all).
func (e *engine) Alerts(ctx context.Context, limit int) ([]Alert, error) {
	var out []Alert
	err := e.kv.view(ctx, func(tx kvTx) error {
		return tx.scanBack(bucketAlerts, func(k, v []byte) error {
			if limit > 0 && len(out) == limit {
				return errStop
			}
			r, err := decodeAlert(k, v)
			if err != nil {
				return err
			}
			out = append(out, r.alert(k))
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// AcknowledgeAlerts marks alerts as seen at at, in one transaction. An
// alert already acknowledged keeps its first time; an unknown ID refuses
// the batch with ErrNotFound, naming it.
func (e *engine) AcknowledgeAlerts(ctx context.Context, ids []string, at time.Time) error {
	if at.IsZero() {
		at = e.now()
	}
	at = at.UTC()
	return e.kv.update(ctx, func(tx kvTx) error {
		for _, id := range ids {
			k := alertKeyOf(id)
			v := tx.get(bucketAlerts, k)
			if k == nil || v == nil {
				return fmt.Errorf("alert %s: %w", id, ErrNotFound)
			}
			r, err := decodeAlert(k, v)
			if err != nil {
				return err
			}
			if !r.Acknowledged.IsZero() {
				continue
			}
			r.Acknowledged = at
			if err := putJSON(tx, bucketAlerts, k, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// UnacknowledgedAlerts counts the alerts no one has acknowledged yet: the
// number on the badge. It reads every alert (at most MaxAlerts).
func (e *engine) UnacknowledgedAlerts(ctx context.Context) (int, error) {
	n := 0
	err := e.kv.view(ctx, func(tx kvTx) error {
		return tx.scan(bucketAlerts, nil, func(k, v []byte) error {
			r, err := decodeAlert(k, v)
			if err != nil {
				return err
			}
			if r.Acknowledged.IsZero() {
				n++
			}
			return nil
		})
	})
	return n, err
}
