package onvif

// DeviceInfo is the answer to GetDeviceInformation. Fields are trimmed of
// surrounding white space; any may be empty.
type DeviceInfo struct {
	Manufacturer    string
	Model           string
	FirmwareVersion string
	SerialNumber    string
	// HardwareID is vendor-defined: "88" on the Hikvision family, a MAC on
	// Pelco, a hex code on Bosch.
	HardwareID string
}

// parseDeviceInformation parses a GetDeviceInformationResponse envelope.
func parseDeviceInformation(body []byte, headerCharset string) (DeviceInfo, error) {
	r, err := parseResponse(body, headerCharset, "GetDeviceInformationResponse")
	if err != nil {
		return DeviceInfo{}, err
	}
	return DeviceInfo{
		Manufacturer:    r.child(nsDevice, "Manufacturer").value(),
		Model:           r.child(nsDevice, "Model").value(),
		FirmwareVersion: r.child(nsDevice, "FirmwareVersion").value(),
		SerialNumber:    r.child(nsDevice, "SerialNumber").value(),
		HardwareID:      r.child(nsDevice, "HardwareId").value(),
	}, nil
}
