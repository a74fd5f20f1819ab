import { describe, expect, it } from "vitest";
import { joinSecrets, maskSecrets, splitSecrets, type SecretField } from "@/lib/destinations/secret-fields";
import { redactedValue } from "@/lib/log";

const fields: SecretField[] = [
  { path: ["auth", "password"], kind: "value" },
  { path: ["url"], kind: "url-password" },
];

describe("credential fields", () => {
  it("splits credentials off a config and puts them back", () => {
    const config = { url: "amqp://user:p%40ss@host:5672/vh", auth: { type: "basic", username: "u", password: "pw" } };
    const { publicConfig, secrets } = splitSecrets(config, fields);
    expect(publicConfig).toEqual({ url: "amqp://user@host:5672/vh", auth: { type: "basic", username: "u" } });
    expect(secrets).toEqual({ "auth.password": "pw", "url#password": "p@ss" });
    expect(joinSecrets(publicConfig, fields, secrets)).toEqual(config);
    expect(config.auth.password).toBe("pw");
  });

  it("shows stored credentials only as the mask", () => {
    const masked = maskSecrets({ url: "amqp://user@host:5672/vh", auth: { type: "basic", username: "u" } }, fields, ["auth.password", "url#password"]);
    expect(masked).toEqual({ url: `amqp://user:${redactedValue}@host:5672/vh`, auth: { type: "basic", username: "u", password: redactedValue } });
  });

  it("keeps the previous value when the mask comes back", () => {
    const previous = { "auth.password": "old", "url#password": "oldurl" };
    const { secrets } = splitSecrets({ url: "amqp://user:***@host/", auth: { password: redactedValue } }, fields, previous);
    expect(secrets).toEqual(previous);
  });

  it("drops a masked credential that has nothing stored behind it", () => {
    expect(splitSecrets({ auth: { password: redactedValue } }, fields).secrets).toEqual({});
  });

  it("leaves templated URLs alone", () => {
    const { publicConfig, secrets } = splitSecrets({ url: "{var.broker}/x" }, fields);
    expect(publicConfig).toEqual({ url: "{var.broker}/x" });
    expect(secrets).toEqual({});
  });
});
