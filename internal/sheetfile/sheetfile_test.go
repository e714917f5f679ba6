package sheetfile

import "testing"

func TestSniffDelimiter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rune
		rest string
	}{
		{"name,site\nA,B\n", ',', "name,site\nA,B\n"},
		{"name;site;notes\nA;B;\"x,y\"\n", ';', "name;site;notes\nA;B;\"x,y\"\n"},
		{"name\tsite\n", '\t', "name\tsite\n"},
		{"sep=;\nname;site\n", ';', "\nname;site\n"}, // the sep= line is blanked, line numbers kept
		{"\n\n\"a;b\",c\n", ',', "\n\n\"a;b\",c\n"},  // quoted delimiters do not count; blank lines skipped
		{"name\n", ',', "name\n"},                    // one column: comma
	} {
		got, rest := SniffDelimiter([]byte(tc.in))
		if got != tc.want || string(rest) != tc.rest {
			t.Errorf("SniffDelimiter(%q) = %q, %q; want %q, %q", tc.in, got, rest, tc.want, tc.rest)
		}
	}
	if DelimiterName(';') != "semicolon" || DelimiterName(',') != "comma" || DelimiterName('\t') != "tab" {
		t.Error("DelimiterName")
	}
}
