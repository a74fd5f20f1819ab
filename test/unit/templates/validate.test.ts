import { describe, expect, it } from "vitest";
import { TemplateError, renderTemplate, templateModes, validateTemplate, validateTemplates } from "@/lib/templates";
import type { TemplateMode } from "@/lib/templates";
import { makeContext } from "./context-fixture";

describe("validateTemplates", () => {
  it("returns no issues for a valid destination config", () => {
    const issues = validateTemplates(
      [
        { field: "config.url", source: "{var.base_url}/hooks/{event_id}", mode: "url" },
        { field: "config.headers.Authorization", source: "Bearer {secret:API_TOKEN}", mode: "header" },
        { field: "config.body", source: '{"id":{event_id},"text":"{body.msg}"}', mode: "json" },
        { field: "config.topic", source: "a/{callback_id}/b", mode: "mqtt_topic" },
      ],
      { knownVars: ["base_url"], knownSecrets: ["API_TOKEN"] },
    );
    expect(issues).toEqual([]);
  });

  it("names the field and the variable for each broken field", () => {
    const issues = validateTemplates([
      { field: "config.headers.X-Sig", source: "sha256={foo}", mode: "header" },
      { field: "config.query.region", source: "{env:DATABASE_URL}", mode: "text" },
      { field: "config.body", source: '{"a": {body.x}', mode: "json" },
      { field: "config.routingKey", source: "ok.{event_id}", mode: "amqp_routing_key" },
      { field: "config.topic", source: "x/{body.}", mode: "mqtt_topic" },
    ]);
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
    const fields = [{ field: "config.url", source: "{var.base}/x?k={secret:KEY}&t={secret:TOKEN}&v={var.team}", mode: "url" as const }];
    expect(validateTemplates(fields, { knownVars: ["team"], knownSecrets: new Set(["TOKEN"]) })).toEqual([
      { field: "config.url", variable: "var.base", position: 0, message: "variable {var.base} is not defined on this callback" },
      { field: "config.url", variable: "secret:KEY", position: 15, message: "secret {secret:KEY} does not exist" },
    ]);
    expect(validateTemplates(fields)).toEqual([]);
  });

  it("checks url fields against the schemes given for them", () => {
    const field = { field: "config.url", source: "amqps://{var.host}/vhost", mode: "url" as const };
    expect(validateTemplates([field])).toHaveLength(1);
    expect(validateTemplates([{ ...field, urlProtocols: ["amqps", "amqp"] }])).toEqual([]);
  });

  it("rejects CR/LF in a literal header template at save time", () => {
    const [issue] = validateTemplates([{ field: "config.headers.X", source: "a\r\nEvil: 1", mode: "header" }]);
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
