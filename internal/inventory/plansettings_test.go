package inventory

import (
	"reflect"
	"strings"
	"testing"
)

func TestPlanSettings(t *testing.T) {
	st := NewMemory()
	good := Settings{Currency: "EUR", Plan: PlanSettings{ClassCost: map[Class]Money{ClassCamera: 119000}, ClassLifeYears: map[Class]int{ClassRecorder: 6}, PriceIncreasePercent: 3.5}}
	if err := st.PutSettings(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Settings(t.Context()); err != nil || !reflect.DeepEqual(got.Plan, good.Plan) {
		t.Errorf("Settings().Plan = %+v, %v; want %+v", got.Plan, err, good.Plan)
	}
	for _, bad := range []PlanSettings{
		{ClassCost: map[Class]Money{ClassCamera: -1}},
		{ClassLifeYears: map[Class]int{ClassCamera: 80}},
		{PriceIncreasePercent: 150},
	} {
		err := st.PutSettings(t.Context(), Settings{Plan: bad})
		if err == nil || !strings.Contains(err.Error(), "must") && !strings.Contains(err.Error(), "negative") {
			t.Errorf("PutSettings(%+v) = %v; want it refused in words", bad, err)
		}
	}
}
