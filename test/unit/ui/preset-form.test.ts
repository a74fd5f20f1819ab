// The preset picker: a chosen preset writes its real defaults into the form's controls (nested
// sign-in settings included) and keeps placeholders and facts such as ports as notes.
import { describe, expect, it } from "vitest";
import { destinationFormSpecs } from "@/lib/ui/form-specs";
import { toPayload, toRawForm, type RawForm } from "@/lib/ui/form-values";
import { applyPreset, presetsForKind, withoutPresetField, type PresetChoice } from "@/lib/ui/preset-form";

function formOf(kind: string) {
  const form = destinationFormSpecs().find((item) => item.kind === kind);
  if (!form) throw new Error(`no ${kind} form`);
  return form;
}

const iot: PresetChoice = {
  id: "aws_iot_core",
  label: "AWS IoT Core",
  description: "Publish to AWS IoT Core.",
  docsUrl: "https://docs.aws.amazon.com/iot/",
  kinds: ["mqtt", "http"],
  defaults: {
    mqtt: { qos: 1, protocolVersion: 5, ports: { mqtts: 8883, wss: 443 }, clientId: "<thing name>" },
    http: { method: "POST", query: { qos: "1" }, "auth.service": "iotdevicegateway" },
  },
  rules: { mqtt: [{ field: "config.qos", text: "no QoS 2", source: "https://docs.aws.amazon.com/iot/" }] },
};

describe("the preset picker", () => {
  it("offers only the presets that cover the form's kind", () => {
    expect(presetsForKind([iot], "mqtt").map((preset) => preset.id)).toEqual(["aws_iot_core"]);
    expect(presetsForKind([iot], "amqp")).toEqual([]);
  });

  it("fills an MQTT form's real settings and names the preset, keeping ports and placeholders as notes", () => {
    const { fields } = formOf("mqtt");
    const raw = toRawForm(fields, { name: "thing", config: { url: "mqtts://a1.iot.eu-west-1.amazonaws.com:8883", qos: 0, clientId: "mine" } });
    const applied = applyPreset(fields, raw, iot, "mqtt");
    expect(applied.filled).toEqual(["qos", "protocolVersion"]);
    expect(applied.notes).toEqual(["ports: mqtts 8883, wss 443", "clientId: <thing name> (left empty: filled in at save)"]);
    expect(toPayload(fields, applied.raw, "create").config).toMatchObject({ preset: "aws_iot_core", qos: 1, protocolVersion: 5 });
    expect(toPayload(fields, applied.raw, "create").config).not.toHaveProperty("clientId");
    expect(((raw.config as RawForm).qos as string) === "0").toBe(true);
  });

  it("writes a sign-in default into the variant that has it without switching the chosen sign-in", () => {
    const { fields } = formOf("http");
    const applied = applyPreset(fields, toRawForm(fields, { name: "iot", config: { url: "https://a1.iot.eu-west-1.amazonaws.com/topics/t" } }), iot, "http");
    expect(applied.filled).toContain("query");
    const config = applied.raw.config as RawForm;
    expect(config.query).toBe("qos: 1");
    const auth = config.auth as RawForm;
    expect(auth.type).toBe("none");
    expect(applied.filled).toContain("auth.service");
    expect((auth.$aws_sigv4 as RawForm).service).toBe("iotdevicegateway");
  });

  it("clears the preset when none is chosen, and renders the choice only in the picker", () => {
    const { fields } = formOf("mqtt");
    const raw = applyPreset(fields, toRawForm(fields, { name: "x", config: { url: "mqtts://h", preset: "aws_iot_core" } }), undefined, "mqtt").raw;
    expect(toPayload(fields, raw, "create").config).not.toHaveProperty("preset");
    const config = withoutPresetField(fields).find((field) => field.key === "config");
    expect(config?.type === "object" && config.fields.some((field) => field.key === "preset")).toBe(false);
  });
});
