package wsd

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// toUTF8 strips a UTF-8 BOM and leading whitespace, and transcodes UTF-16
// (detected by BOM or by "<" as the first code unit) to UTF-8, because
// encoding/xml cannot even read a UTF-16 declaration. Other charsets are
// named in the declaration and handled by charsetReader.
func toUTF8(b []byte) ([]byte, error) {
	var e unicode.Endianness
	utf16 := true
	switch {
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0x00, '<'}):
		e = unicode.BigEndian
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{'<', 0x00}):
		e = unicode.LittleEndian
	default:
		utf16 = false
	}
	if utf16 {
		u, err := unicode.UTF16(e, unicode.UseBOM).NewDecoder().Bytes(b)
		if err != nil {
			return nil, fmt.Errorf("%w: utf-16: %w", ErrMalformed, err)
		}
		b = u
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	return bytes.TrimLeft(b, " \t\r\n"), nil
}

// charsets are the non-UTF-8 encodings an XML declaration may name. Devices
// with a Western firmware sometimes declare ISO-8859-1 and send Windows-1252.
var charsets = map[string]encoding.Encoding{
	"iso-8859-1": charmap.Windows1252, "iso8859-1": charmap.Windows1252,
	"iso_8859-1": charmap.Windows1252, "latin1": charmap.Windows1252, "l1": charmap.Windows1252,
	"windows-1252": charmap.Windows1252, "cp1252": charmap.Windows1252,
	"us-ascii": charmap.Windows1252, "ascii": charmap.Windows1252,
	"iso-8859-15": charmap.ISO8859_15, "latin9": charmap.ISO8859_15,
	"windows-1251": charmap.Windows1251, "koi8-r": charmap.KOI8R,
}

// charsetReader is the xml.Decoder CharsetReader.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if strings.HasPrefix(l, "utf-16") || l == "utf8" || l == "unicode" {
		// Already transcoded by toUTF8, or a device that says UTF-16 and
		// sends UTF-8: either way the bytes are UTF-8 now.
		return r, nil
	}
	if enc, ok := charsets[l]; ok {
		return enc.NewDecoder().Reader(r), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}
