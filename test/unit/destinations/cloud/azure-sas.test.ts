// Azure IoT Hub SAS tokens, checked against Microsoft's own published values and algorithm.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { azureDeviceSignIn, azureSasToken } from "@/lib/destinations/cloud/azure-sas";

describe("azureSasToken", () => {
  it("matches the token Microsoft's Azure IoT SDK pins for its inputs (resource 'uri', key base64('password'), expiry 12345)", () => {
    // https://github.com/Azure/azure-iot-sdk-node/blob/main/common/core/test/_shared_access_signature_test.js
    // ("#toString … does not include the skn segment"): a device token carries no skn.
    const key = Buffer.from("password").toString("base64");
    expect(azureSasToken("uri", key, 12345)).toBe("SharedAccessSignature sr=uri&sig=kcWxXAK2OAaAoq2oCkaGzX2NMqDB8nCyNuq2fPYCDhk%3D&se=12345");
  });

  it("follows Microsoft's documented algorithm for a device resource: sign the URL-encoded resource, newline, expiry with the base64-decoded key", () => {
    // https://learn.microsoft.com/azure/iot-hub/iot-hub-dev-guide-sas ("Security token
    // structure" and its Node.js generateSasToken): encodeURIComponent(resourceUri), HMAC-SHA256
    // over `${encoded}\n${expires}` keyed with Buffer.from(key, 'base64'), the digest base64 then
    // URL-encoded; the result "SharedAccessSignature sr=…&sig=…&se=…".
    const key = "c2VjcmV0LWRldmljZS1rZXktZm9yLXRlc3RzLTEyMzQ1Ng==";
    const resource = "myhub.azure-devices.net/devices/device1";
    const encoded = "myhub.azure-devices.net%2Fdevices%2Fdevice1";
    const signature = createHmac("sha256", Buffer.from(key, "base64")).update(`${encoded}\n1456971697`).digest("base64");
    expect(azureSasToken(resource, key, 1456971697)).toBe(`SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signature)}&se=1456971697`);
  });
});

describe("azureDeviceSignIn", () => {
  const device = { deviceId: "thermostat-7", deviceKey: Buffer.from("device-key-bytes").toString("base64"), expirySeconds: 3600 };

  it("uses the device id as client id, the hub/device/api-version user name, and a token for hub/devices/id valid for expirySeconds", () => {
    const now = Date.UTC(2026, 11, 7, 8, 0, 0);
    const signIn = azureDeviceSignIn("myhub.azure-devices.net", device, now);
    expect(signIn.clientId).toBe("thermostat-7");
    expect(signIn.username).toBe("myhub.azure-devices.net/thermostat-7/?api-version=2021-04-12");
    expect(signIn.expiresAt).toBe(now / 1000 + 3600);
    expect(signIn.password).toBe(azureSasToken("myhub.azure-devices.net/devices/thermostat-7", device.deviceKey, now / 1000 + 3600));
    expect(signIn.password).toMatch(/^SharedAccessSignature sr=myhub\.azure-devices\.net%2Fdevices%2Fthermostat-7&sig=[A-Za-z0-9%]+&se=\d+$/);
  });

  it("makes a new token for a later connection (its expiry moves with the clock)", () => {
    const first = azureDeviceSignIn("myhub.azure-devices.net", device, 1_000_000_000_000);
    const later = azureDeviceSignIn("myhub.azure-devices.net", device, 1_000_000_060_000);
    expect(later.expiresAt - first.expiresAt).toBe(60);
    expect(later.password).not.toBe(first.password);
  });
});
