package firmware

import (
	"strings"

	"sitekeeper/internal/inventory"
)

// aliases are the vendors' formal names whose first word is not the name
// people use: a place or a person. Everything else is folded by
// inventory.CanonicalManufacturer, the rule that also tells the inventory
// two devices are one: "AXIS", "Axis Communications AB" -> "axis";
// "HIKVISION", "Hikvision Digital Technology" -> "hikvision". Add a line
// here only for a vendor seen naming itself this way, and keep the whole
// prefix ("zhejiang" alone is both Dahua and Uniview).
var aliases = []struct{ prefix, key string }{
	{"hangzhou hikvision", "hikvision"}, // Hangzhou Hikvision Digital Technology Co., Ltd.
	{"zhejiang dahua", "dahua"},         // Zhejiang Dahua Technology Co., Ltd.
	{"zhejiang uniview", "uniview"},     // Zhejiang Uniview Technologies Co., Ltd.
	{"robert bosch", "bosch"},           // Robert Bosch GmbH
}

// manufacturerKey is the one token a manufacturer's names fold to, or "".
func manufacturerKey(name string) string {
	words := strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
	}), " ")
	for _, a := range aliases {
		if words == a.prefix || strings.HasPrefix(words, a.prefix+" ") {
			return a.key
		}
	}
	return inventory.CanonicalManufacturer(name)
}
