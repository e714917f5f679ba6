package report

import "sitekeeper/internal/inventory"

// Money is an amount as the reports print it: "€12,345" in whole units of
// currency (the inventory's; EUR when empty), so that the GUI shows the
// same figures as the PDF.
func Money(m inventory.Money, currency string) string { return money(m, currency) }
