// The MQTT config's cloud sign-in: which schemes each works over, what it excludes, and that its
// secrets are sealed and shown back masked.
import { describe, expect, it } from "vitest";
import { mqttConfigSchema, mqttSecretFields } from "@/lib/destinations/mqtt/config";
import { maskSecrets, splitSecrets } from "@/lib/destinations/secret-fields";

const aws = { type: "aws_sigv4", region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "aws-secret-value-123", sessionToken: "aws-session-token-456" };
const azure = { type: "azure_sas", deviceId: "thermostat-7", deviceKey: Buffer.from("device-key-bytes").toString("base64") };

function issues(config: Record<string, unknown>): Array<{ path: string; message: string }> {
  const parsed = mqttConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("mqttConfigSchema auth and tls", () => {
  it("accepts aws_sigv4 on wss and azure_sas on mqtts and wss (expiry defaults to an hour)", () => {
    expect(issues({ url: "wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt", auth: aws })).toEqual([]);
    expect(issues({ url: "mqtts://myhub.azure-devices.net", auth: azure })).toEqual([]);
    const parsed = mqttConfigSchema.parse({ url: "wss://myhub.azure-devices.net", auth: azure });
    expect(parsed.auth).toMatchObject({ type: "azure_sas", expirySeconds: 3600 });
  });

  it.each([
    ["aws_sigv4 over mqtts", { url: "mqtts://a1b2c3-ats.iot.eu-west-1.amazonaws.com", auth: aws }, "auth.type", "aws_sigv4 works over wss:// only, not mqtts://"],
    ["azure_sas over plain mqtt", { url: "mqtt://myhub.azure-devices.net", auth: azure }, "auth.type", "azure_sas works over mqtts:// or wss:// only, not mqtt://"],
    ["azure_sas over ws", { url: "ws://myhub.azure-devices.net", auth: azure }, "auth.type", "not ws://"],
    ["a password beside the sign-in", { url: "wss://h.example/mqtt", auth: aws, password: "p" }, "password", "must not be set with auth aws_sigv4"],
    ["a client id other than the device id", { url: "mqtts://myhub.azure-devices.net", auth: azure, clientId: "other" }, "clientId", "device id as client id"],
    ["a device key that is not base64", { url: "mqtts://myhub.azure-devices.net", auth: { ...azure, deviceKey: "not base64!" } }, "auth.deviceKey", "base64"],
    [
      "TLS settings on a plain-text URL",
      { url: "mqtt://broker.example", tls: { ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" } },
      "tls",
      "mqtts:// and wss:// only; this URL is mqtt://",
    ],
    ["a region that is not one", { url: "wss://h.example/mqtt", auth: { ...aws, region: "EU West" } }, "auth.region", "AWS region"],
  ])("refuses %s, naming the field", (_, config, path, message) => {
    const found = issues(config);
    expect(found.map((issue) => issue.path)).toContain(path);
    expect(found.find((issue) => issue.path === path)?.message).toContain(message);
  });

  it("seals secretAccessKey, sessionToken and deviceKey, and shows them back as ***", () => {
    for (const auth of [aws, azure]) {
      const config = mqttConfigSchema.parse({ url: auth === aws ? "wss://h.example/mqtt" : "mqtts://myhub.azure-devices.net", auth });
      const { publicConfig, secrets } = splitSecrets(config, mqttSecretFields);
      const stored = JSON.stringify(publicConfig);
      for (const secret of [aws.secretAccessKey, aws.sessionToken, azure.deviceKey]) expect(stored).not.toContain(secret);
      const masked = maskSecrets(publicConfig, mqttSecretFields, Object.keys(secrets)) as { auth: Record<string, unknown> };
      if (auth === aws) expect(masked.auth).toEqual({ type: "aws_sigv4", region: "eu-west-1", accessKeyId: aws.accessKeyId, secretAccessKey: "***", sessionToken: "***" });
      else expect(masked.auth).toEqual({ type: "azure_sas", deviceId: "thermostat-7", deviceKey: "***", expirySeconds: 3600 });
    }
  });
});
