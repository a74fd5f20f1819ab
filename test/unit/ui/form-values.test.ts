import { describe, expect, it } from "vitest";
import { alertSettingsFormFields, destinationFormSpecs, callbackFormFields } from "@/lib/ui/form-specs";
import { formPlacesError, messageFor, toPayload, toRawForm, FormInputError } from "@/lib/ui/form-values";

const http = destinationFormSpecs().find((form) => form.kind === "http");
if (!http) throw new Error("no http form");

describe("schema-driven forms", () => {
  it("offers one form per destination kind with credential fields as password inputs", () => {
    expect(destinationFormSpecs().map((form) => form.kind)).toEqual(["http", "mqtt", "amqp"]);
    const config = http.fields.find((field) => field.key === "config");
    expect(config?.type).toBe("object");
    const auth = config?.type === "object" ? config.fields.find((field) => field.key === "auth") : undefined;
    const bearer = auth?.type === "union" ? auth.variants.find((variant) => variant.value === "bearer") : undefined;
    expect(bearer?.fields).toContainEqual(expect.objectContaining({ key: "token", secret: true }));
  });

  it("round-trips a stored destination, keeping the credential mask and dropping blanks", () => {
    const stored = { name: "sink", enabled: true, config: { url: "https://x.example/h", auth: { type: "bearer", token: "***" }, headers: { "X-Key": "{secret:K}" } } };
    const payload = toPayload(http.fields, toRawForm(http.fields, stored), "create");
    expect(payload.config).toMatchObject({ url: "https://x.example/h", auth: { type: "bearer", token: "***" }, headers: { "X-Key": "{secret:K}" } });
    expect(payload.config).not.toHaveProperty("body");
  });

  it("clears a blanked optional config setting when editing a destination (PATCH null), keeps nested ones out", () => {
    const stored = { name: "sink", enabled: true, config: { url: "https://x.example/h", body: '{"a":1}', auth: { type: "basic", username: "u", password: "***" } } };
    const raw = toRawForm(http.fields, stored);
    const config = raw.config as Record<string, unknown>;
    config.body = "";
    const edited = toPayload(http.fields, raw, "edit");
    expect((edited.config as Record<string, unknown>).body).toBeNull();
    expect((edited.config as Record<string, unknown>).auth).toMatchObject({ type: "basic", username: "u", password: "***" });
    expect(toPayload(http.fields, raw, "create").config).not.toHaveProperty("body");
  });

  it("sends null for a cleared nullable callback field when editing, and omits it when creating", () => {
    const fields = callbackFormFields("edit");
    const raw = toRawForm(fields, { name: "a", path: "old/path", methods: ["POST"] });
    raw.path = "";
    expect(toPayload(fields, raw, "edit").path).toBeNull();
    expect(toPayload(fields, raw, "create")).not.toHaveProperty("path");
  });

  it("shows the failure threshold with its default and a hint, and sends a cleared one as null (never trip)", () => {
    const field = http.fields.find((item) => item.key === "failureThreshold");
    expect(field).toMatchObject({ type: "number", default: 20, min: 1 });
    expect(field?.hint).toMatch(/empty to never disable/);
    const raw = toRawForm(http.fields, { name: "x", config: { url: "https://x.example" } });
    expect(raw.failureThreshold).toBe("20");
    expect(toPayload(http.fields, raw, "create").failureThreshold).toBe(20);
    raw.failureThreshold = "";
    expect(toPayload(http.fields, raw, "create").failureThreshold).toBeNull();
    expect(toPayload(http.fields, raw, "edit").failureThreshold).toBeNull();
  });

  it("describes the alert webhook as on/off, retries and the HTTP destination's config, credentials masked", () => {
    const fields = alertSettingsFormFields();
    expect(fields.map((field) => field.key)).toEqual(["enabled", "retries", "config"]);
    const stored = { enabled: true, retries: 1, config: { url: "https://alerts.example/in", auth: { type: "bearer", token: "***" } } };
    expect(toPayload(fields, toRawForm(fields, stored), "create")).toMatchObject(stored);
  });

  it("reports a malformed header line against its field before sending", () => {
    const raw = toRawForm(http.fields, { name: "x", config: { url: "https://x.example" } });
    (raw.config as Record<string, unknown>).headers = "no colon here";
    expect(() => toPayload(http.fields, raw, "create")).toThrow(FormInputError);
  });

  it("places API errors under the named field, else at the top of the form", () => {
    expect(formPlacesError(http.fields, "config.url")).toBe(true);
    expect(formPlacesError(http.fields, "config.auth.token")).toBe(true);
    expect(formPlacesError(http.fields, "config.headers.X-Bad")).toBe(true);
    expect(formPlacesError(http.fields, "config.nonsense")).toBe(false);
    expect(messageFor("config.url", "config.url: must be a valid URL; name: too short")).toBe("must be a valid URL");
  });
});
