module sitekeeper

go 1.26.8

require go.etcd.io/bbolt v1.4.3

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
	golang.org/x/sync v0.11.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
