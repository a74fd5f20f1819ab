import { describe, expect, it } from "vitest";
import { TemplateError, renderTemplate, templateModes, validateTemplate, validateTemplates } from "@/lib/templates";
import type { TemplateMode } from "@/lib/templates";
import { makeContext } from "./context-fixture";

describe("validateTemplates", () => {
  it("returns no issues for a valid destination config", () => {
    const issues = validateTemplates(
      {
        "config.url": { template: "{var.base_url}/hooks/{event_id}", mode: "url" },
        "config.headers.Authorization": { template: "Bearer {secret:API_TOKEN}", mode: "header" },
        "config.body": { template: '{"id":{event_id},"text":"{body.msg}"}', mode: "json" },
        "config.topic": { template: "a/{callback_id}/b", mode: "mqtt_topic" },
      },
      { knownVars: ["base_url"], knownSecrets: ["API_TOKEN"] },
    );
    expect(issues).toEqual([]);
  });

  it("names the field and the variable for each broken field", () => {
    const issues = validateTemplates({
      "config.headers.X-Sig": { template: "sha256={foo}", mode: "header" },
      "config.query.region": { template: "{env:DATABASE_URL}", mode: "text" },
      "config.body": { template: '{"a": {body.x}', mode: "json" },
      "config.routingKey": { template: "ok.{event_id}", mode: "amqp_routing_key" },
      "config.topic": { template: "x/{body.}", mode: "mqtt_topic" },
    });
    expect(issues).toEqual([
      { field: "config.headers.X-Sig", variable: "foo", position: 7, message: "unknown variable {foo}" },
      {
        field: "config.query.region",
        variable: "env:DATABASE_URL",
        position: 0,
        message: expect.stringContaining("{env:DATABASE_URL} is not allowed"),
      },
      { field: "config.body", message: expect.stringContaining("not valid JSON") },
      { field: "config.topic", variable: "body.", position: 2, message: "empty path segment in {body.}" },
    ]);
  });

  it("reports variables and secrets that do not exist when the known names are given", () => {
    const fields = { "config.url": { template: "{var.base}/x?k={secret:KEY}&t={secret:TOKEN}&v={var.team}", mode: "url" as const } };
    expect(validateTemplates(fields, { knownVars: ["team"], knownSecrets: new Set(["TOKEN"]) })).toEqual([
      { field: "config.url", variable: "var.base", position: 0, message: "variable {var.base} is not defined on this callback" },
      { field: "config.url", variable: "secret:KEY", position: 15, message: "secret {secret:KEY} does not exist" },
    ]);
    expect(validateTemplates(fields)).toEqual([]);
  });

  it("checks url fields against the schemes given for them", () => {
    const fields = { "config.url": { template: "amqps://{var.host}/vhost", mode: "url" as const } };
    expect(validateTemplates(fields)).toHaveLength(1);
    expect(validateTemplates({ "config.url": { ...fields["config.url"], urlProtocols: ["amqps", "amqp"] } })).toEqual([]);
  });

  it("rejects CR/LF in a literal header template at save time", () => {
    const [issue] = validateTemplates({ "config.headers.X": { template: "a\r\nEvil: 1", mode: "header" } });
    expect(issue).toMatchObject({ field: "config.headers.X", position: 1 });
    expect(issue?.message).toContain("U+000D");
  });
});

describe("validateTemplate", () => {
  it.each(templateModes)("accepts a plain placeholder template in %s mode", (mode) => {
    const template = mode === "url" ? "https://example.com/{event_id}" : mode === "json" ? "{body}" : "{event_id}";
    expect(validateTemplate(template, mode).placeholders).toHaveLength(1);
  });

  it("throws TemplateError with the variable for syntax errors", () => {
    expect(() => validateTemplate("{event_id", "text")).toThrow(TemplateError);
    expect(() => validateTemplate("{nope}", "text")).toThrow(expect.objectContaining({ variable: "nope" }));
  });

  it("refuses a mode it does not know rather than inserting values unescaped", () => {
    const mode = "html" as TemplateMode;
    expect(() => validateTemplate("{event_id}", mode)).toThrow(TemplateError);
    expect(() => renderTemplate("{event_id}", mode, makeContext())).toThrow('unknown template mode "html"');
  });
});
