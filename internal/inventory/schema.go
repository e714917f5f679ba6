package inventory

import (
	"encoding/binary"
	"slices"
	"time"
)

// The on-disk layout, in one place. Every bucket holds JSON values with
// explicit tags, except where noted.
//
//	meta        schema_version -> decimal ASCII ("3")
//	            settings       -> Settings
//	devices     <device id>    -> Device
//	events      <device id> 0x00 <8-byte big-endian sequence> -> Event
//	sites       <lower-case site name> -> Site
//	idx_serial  <canonical manufacturer> 0x00 <lower-case serial> -> device id (raw)
//	idx_mac     <aa:bb:cc:dd:ee:ff>      -> device id (raw)
//	idx_epr     <lower-case endpoint reference, urn:uuid: stripped> -> device id (raw)
//	idx_ip      <canonical IP>           -> device id (raw)
//	status      <device id>    -> statusRecord: current health, first and last check
//	outages     <device id> 0x00 <8-byte big-endian start, Unix ns> -> outageRecord
//	checks      <device id> 0x00 <2-byte big-endian year, month> -> tallyMonth
//	alerts      <8-byte big-endian At, Unix ns> <8-byte big-endian sequence> -> alertRecord
//
// Health history grows with transitions and days, never with samples: a
// device has one status record, one outage per offline or degraded spell
// and one record of daily check counts per month it was checked. Keys lead with the device, so a
// device's history is one range scan and Delete removes it with the device.
//
// Alerts are keyed by time, not by device: listing them newest first is a
// reverse cursor scan from the end, and Delete leaves them (they are
// history of the site, not of the device). An alert's ID is its key in hex.
// AddAlerts keeps at most MaxAlerts of them.
//
// The idx_* buckets are derived from devices and rebuilt by migrations when
// their rules change; they exist so that Reconcile finds a device in a large
// inventory without reading it all.

// SchemaVersion is the layout this build writes. A file with a higher version
// is refused and left untouched (ErrNewerSchema).
const SchemaVersion = 3

var (
	bucketMeta      = []byte("meta")
	bucketDevices   = []byte("devices")
	bucketEvents    = []byte("events")
	bucketSites     = []byte("sites")
	bucketIdxSerial = []byte("idx_serial")
	bucketIdxMAC    = []byte("idx_mac")
	bucketIdxEPR    = []byte("idx_epr")
	bucketIdxIP     = []byte("idx_ip")
	bucketStatus    = []byte("status")
	bucketOutages   = []byte("outages")
	bucketTallies   = []byte("checks")
	bucketAlerts    = []byte("alerts")

	keySchemaVersion = []byte("schema_version")
	keySettings      = []byte("settings")
)

// The buckets each version added; allBuckets is every top-level bucket of
// SchemaVersion.
var (
	bucketsV1 = [][]byte{
		bucketMeta, bucketDevices, bucketEvents, bucketSites,
		bucketIdxSerial, bucketIdxMAC, bucketIdxEPR, bucketIdxIP,
	}
	bucketsV2  = [][]byte{bucketStatus, bucketOutages, bucketTallies}
	bucketsV3  = [][]byte{bucketAlerts}
	allBuckets = slices.Concat(bucketsV1, bucketsV2, bucketsV3)
)

// devicePrefix is the prefix all of a device's keys share in events,
// outages and checks. IDs never hold a NUL (checkID).
func devicePrefix(id string) []byte {
	k := make([]byte, 0, len(id)+9)
	return append(append(k, id...), 0)
}

// eventKey is the key of a device's n-th event.
func eventKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(devicePrefix(id), seq)
}

// outageKey is the key of a device's outage that began at start: in start
// order within the device (times after 1970, which RecordStatus checks).
func outageKey(id string, start time.Time) []byte {
	return binary.BigEndian.AppendUint64(devicePrefix(id), uint64(start.UnixNano()))
}

// alertKey is the key of the seq-th alert, at at: in time order, and in
// the order added among alerts of the same time (times after 1970, which
// AddAlerts checks).
func alertKey(at time.Time, seq uint64) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(at.UnixNano()))
	return binary.BigEndian.AppendUint64(k, seq)
}

func splitOutageKey(k []byte) (id string, start time.Time, ok bool) {
	if len(k) < 10 || k[len(k)-9] != 0 {
		return "", time.Time{}, false
	}
	ns := binary.BigEndian.Uint64(k[len(k)-8:])
	return string(k[:len(k)-9]), time.Unix(0, int64(ns)).UTC(), true
}

// tallyKey is the key of a device's check counts for day's month.
func tallyKey(id string, day Date) []byte {
	return append(binary.BigEndian.AppendUint16(devicePrefix(id), uint16(day.Year)), byte(day.Month))
}

func tallyMonthOf(k []byte) (int, time.Month, bool) {
	if len(k) < 5 || k[len(k)-4] != 0 || k[len(k)-1] < 1 || k[len(k)-1] > 12 {
		return 0, 0, false
	}
	return int(binary.BigEndian.Uint16(k[len(k)-3:])), time.Month(k[len(k)-1]), true
}

// migration moves a file from version to-1 to version to. Migrations run in
// order, all in one transaction, after a copy of the file has been taken.
type migration struct {
	to    int
	about string
	run   func(tx kvTx) error
}

// migrations is the ordered list. Each creates the buckets its version
// added; a new file runs them all.
var migrations = []migration{
	{to: 1, about: "create the buckets", run: createBuckets(bucketsV1)},
	{to: 2, about: "add health history", run: createBuckets(bucketsV2)},
	{to: 3, about: "add stored alerts", run: createBuckets(bucketsV3)},
}

func createBuckets(names [][]byte) func(kvTx) error {
	return func(tx kvTx) error {
		for _, b := range names {
			if err := tx.createBucket(b); err != nil {
				return err
			}
		}
		return nil
	}
}
