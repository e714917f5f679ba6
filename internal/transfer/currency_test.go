package transfer

import (
	"errors"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

func TestImportCSVRefusesOtherCurrency(t *testing.T) {
	st := inventory.NewMemory()
	if err := st.PutSettings(t.Context(), inventory.Settings{Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	_, err := Import(t.Context(), st, strings.NewReader("name,replacement_cost\nA,€ 450\nB,450 USD\nC,$99\n"), "x.csv", Options{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || ie.Problems[0].Line != 3 || !strings.Contains(ie.Problems[0].Message, "another currency") {
		t.Fatalf("Import(costs in USD into a EUR inventory) = %v; want lines 3 and 4 refused as another currency", err)
	}
}
