package inventory

import "encoding/binary"

// The on-disk layout, in one place. Every bucket holds JSON values with
// explicit tags, except where noted.
//
//	meta        schema_version -> decimal ASCII ("1")
//	            settings       -> Settings
//	devices     <device id>    -> Device
//	events      <device id> 0x00 <8-byte big-endian sequence> -> Event
//	sites       <lower-case site name> -> Site
//	idx_serial  <canonical manufacturer> 0x00 <lower-case serial> -> device id (raw)
//	idx_mac     <aa:bb:cc:dd:ee:ff>      -> device id (raw)
//	idx_epr     <lower-case endpoint reference, urn:uuid: stripped> -> device id (raw)
//	idx_ip      <canonical IP>           -> device id (raw)
//
// The idx_* buckets are derived from devices and rebuilt by migrations when
// their rules change; they exist so that Reconcile finds a device in a large
// inventory without reading it all.

// SchemaVersion is the layout this build writes. A file with a higher version
// is refused and left untouched (ErrNewerSchema).
const SchemaVersion = 1

var (
	bucketMeta      = []byte("meta")
	bucketDevices   = []byte("devices")
	bucketEvents    = []byte("events")
	bucketSites     = []byte("sites")
	bucketIdxSerial = []byte("idx_serial")
	bucketIdxMAC    = []byte("idx_mac")
	bucketIdxEPR    = []byte("idx_epr")
	bucketIdxIP     = []byte("idx_ip")

	keySchemaVersion = []byte("schema_version")
	keySettings      = []byte("settings")
)

// allBuckets is every top-level bucket of SchemaVersion.
var allBuckets = [][]byte{
	bucketMeta, bucketDevices, bucketEvents, bucketSites,
	bucketIdxSerial, bucketIdxMAC, bucketIdxEPR, bucketIdxIP,
}

// eventKey is the key of a device's n-th event; eventPrefix(id) is the
// prefix all of a device's events share.
func eventKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(eventPrefix(id), seq)
}

func eventPrefix(id string) []byte {
	k := make([]byte, 0, len(id)+9)
	return append(append(k, id...), 0)
}

// migration moves a file from version to-1 to version to. Migrations run in
// order, all in one transaction, after a copy of the file has been taken.
type migration struct {
	to    int
	about string
	run   func(tx kvTx) error
}

// migrations is the ordered list. Version 1 creates the layout above.
var migrations = []migration{
	{to: 1, about: "create the buckets", run: func(tx kvTx) error {
		for _, b := range allBuckets {
			if err := tx.createBucket(b); err != nil {
				return err
			}
		}
		return nil
	}},
}
