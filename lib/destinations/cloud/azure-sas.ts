// Azure IoT Hub device sign-in over MQTT: a shared access signature made from the device's
// symmetric key for each connection, with the user name and client id IoT Hub requires.
// Format (learn.microsoft.com/azure/iot-hub/iot-hub-dev-guide-sas, "Control access to IoT Hub
// with shared access signatures", and …/iot-hub-mqtt-support, "Communicate with an IoT hub
// using the MQTT protocol"):
//   SharedAccessSignature sr={url-encoded resource}&sig={url-encoded base64 HMAC-SHA256}&se={expiry}
// signed over `{url-encoded resource}\n{expiry}` with the base64-decoded key; the device's
// resource is `{hub host}/devices/{deviceId}`, its user name `{hub host}/{deviceId}/?api-version=…`.
import { createHmac } from "node:crypto";

/** The IoT Hub MQTT API version named in the user name. */
export const azureIotHubApiVersion = "2021-04-12";

/** Where IoT Hub serves MQTT over WebSocket. */
export const azureIotHubWebSocketPath = "/$iothub/websocket";

/** A SAS token for `resourceUri` (as written, encoded here) valid until `expiresAt` (Unix seconds). */
export function azureSasToken(resourceUri: string, base64Key: string, expiresAt: number): string {
  const resource = encodeURIComponent(resourceUri);
  const signature = createHmac("sha256", Buffer.from(base64Key, "base64")).update(`${resource}\n${expiresAt}`).digest("base64");
  return `SharedAccessSignature sr=${resource}&sig=${encodeURIComponent(signature)}&se=${expiresAt}`;
}

export interface AzureDeviceSignIn {
  clientId: string;
  username: string;
  /** The SAS token: a credential, never recorded. */
  password: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** The MQTT CONNECT identity of `deviceId` on the hub at `hubHost`, with a token made now. */
export function azureDeviceSignIn(hubHost: string, device: { deviceId: string; deviceKey: string; expirySeconds: number }, now = Date.now()): AzureDeviceSignIn {
  const expiresAt = Math.floor(now / 1000) + device.expirySeconds;
  return {
    clientId: device.deviceId,
    username: `${hubHost}/${device.deviceId}/?api-version=${azureIotHubApiVersion}`,
    password: azureSasToken(`${hubHost}/devices/${device.deviceId}`, device.deviceKey, expiresAt),
    expiresAt,
  };
}
