package mdns

import (
	"testing"

	"sitekeeper/internal/inventory"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want inventory.Class
	}{
		{"axis video", Result{Service: "_axis-video._tcp", Instance: "AXIS M3045-V - ACCC8E123456"}, inventory.ClassCamera},
		{"camera named front door", Result{Service: "_axis-video._tcp", Instance: "Front door"}, inventory.ClassCamera},
		{"rtsp", Result{Service: "_rtsp._tcp"}, inventory.ClassCamera},
		{"onvif", Result{Service: "_onvif._tcp"}, inventory.ClassCamera},
		{"recorder serving rtsp", Result{Service: "_rtsp._tcp", Model: "AXIS S3008 Recorder"}, inventory.ClassRecorder},
		{"door station serving rtsp", Result{Service: "_rtsp._tcp", Model: "AXIS I8116-E Network Video Intercom"}, inventory.ClassIntercom},
		{"door controller web", Result{Service: "_http._tcp", Model: "AXIS A1601 Network Door Controller"}, inventory.ClassAccessControl},
		{"ipp", Result{Service: "_ipp._tcp"}, inventory.ClassPrinter},
		{"ipps", Result{Service: "_ipps._tcp"}, inventory.ClassPrinter},
		{"lpd", Result{Service: "_printer._tcp"}, inventory.ClassPrinter},
		{"raw 9100", Result{Service: "_pdl-datastream._tcp"}, inventory.ClassPrinter},
		{"hap camera", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "17"}}, inventory.ClassCamera},
		{"hap doorbell", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "18"}}, inventory.ClassIntercom},
		{"hap lock", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "6"}}, inventory.ClassAccessControl},
		{"hap bridge", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "2", "md": "Bridge"}}, inventory.ClassNetwork},
		{"hap lightbulb", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "5"}}, inventory.ClassOther},
		{"hap contact sensor named door", Result{Service: "_hap._tcp", Model: "Eve Door", TXT: map[string]string{"ci": "10", "md": "Eve Door"}}, inventory.ClassIO},
		{"hap bad ci", Result{Service: "_hap._tcp", TXT: map[string]string{"ci": "x"}}, inventory.ClassOther},
		{"workstation", Result{Service: "_workstation._tcp"}, inventory.ClassComputer},
		{"smb", Result{Service: "_smb._tcp"}, inventory.ClassComputer},
		{"opc ua", Result{Service: "_opcua-tcp._tcp"}, inventory.ClassIO},
		{"plain web", Result{Service: "_http._tcp"}, inventory.ClassOther},
		{"web named by model", Result{Service: "_http._tcp", Model: "ioLogik E1214 I/O"}, inventory.ClassIO},
		{"web named by instance", Result{Service: "_http._tcp", Instance: "Lobby camera"}, inventory.ClassCamera},
		{"googlecast", Result{Service: "_googlecast._tcp"}, inventory.ClassOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.r); got != tt.want {
				t.Errorf("Classify(%+v) = %q; want %q", tt.r, got, tt.want)
			}
		})
	}
}
