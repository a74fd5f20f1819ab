import { describe, expect, it } from "vitest";
import { TemplateError, parseTemplate, referencedSecrets, referencedVars, renderTemplate } from "@/lib/templates";
import { makeContext } from "./context-fixture";

function parseError(source: string): TemplateError {
  try {
    parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe("parseTemplate: literal text", () => {
  it.each([
    ["JSON object braces", '{"a":1,"b":{"c":[1,2]}}'],
    ["brace then space", "{ x }"],
    ["brace then digit", "{1}"],
    ["lone closing brace", "a } b }}"],
    ["brace at the end", "abc {"],
    ["empty template", ""],
  ])("keeps %s as literal text", (_name, source) => {
    const parsed = parseTemplate(source);
    expect(parsed.placeholders).toEqual([]);
    expect(renderTemplate(parsed, "text", makeContext())).toBe(source);
  });

  it.each([
    ["{{name}", "{name}"],
    ["{{{event_id}", "{evt_123"],
    ["a{{b", "a{b"],
    ["{{", "{"],
    ["{{{{", "{{"],
  ])("treats {{ as a literal brace: %s → %s", (source, expected) => {
    expect(renderTemplate(source, "text", makeContext())).toBe(expected);
  });
});

describe("parseTemplate: placeholders", () => {
  it("splits literals and placeholders and records positions", () => {
    const parsed = parseTemplate("id={event_id}&x={body.a.b}");
    expect(parsed.parts).toEqual([
      "id=",
      { expression: { kind: "simple", name: "event_id" }, text: "event_id", position: 3 },
      "&x=",
      { expression: { kind: "body", path: ["a", "b"] }, text: "body.a.b", position: 16 },
    ]);
  });

  it.each([
    ["{body}", { kind: "body", path: [] }],
    ["{body.items.0.id}", { kind: "body", path: ["items", "0", "id"] }],
    ["{header.X-Hub-Signature-256}", { kind: "header", name: "x-hub-signature-256" }],
    ["{query.filter[name]}", { kind: "query", name: "filter[name]" }],
    ["{query.a.b}", { kind: "query", name: "a.b" }],
    ["{var.base_url}", { kind: "var", name: "base_url" }],
    ["{env:TRIGGER_VAR_REGION}", { kind: "env", name: "TRIGGER_VAR_REGION" }],
    ["{secret:API_TOKEN}", { kind: "secret", name: "API_TOKEN" }],
    ["{timestamp_ms}", { kind: "simple", name: "timestamp_ms" }],
  ])("parses %s", (source, expression) => {
    expect(parseTemplate(source).placeholders[0]?.expression).toEqual(expression);
  });

  it.each([
    ["{foo}", "foo", "unknown_variable", "unknown variable {foo}"],
    ["x {Body}", "Body", "unknown_variable", "unknown variable {Body}"],
    ["{uuid.x}", "uuid.x", "unknown_variable", "unknown variable {uuid.x}"],
    ["{vars.x}", "vars.x", "unknown_variable", "unknown variable {vars.x}"],
    ["{config:x}", "config:x", "unknown_variable", "unknown variable {config:x}"],
    ["{body.}", "body.", "invalid_name", "empty path segment in {body.}"],
    ["{body..a}", "body..a", "invalid_name", "empty path segment in {body..a}"],
    ["{body.a.}", "body.a.", "invalid_name", "empty path segment in {body.a.}"],
    ["{query.}", "query.", "invalid_name", "invalid query parameter name in {query.}"],
    ["{header.}", "header.", "invalid_name", "invalid header name in {header.}"],
    ["{header.a:b}", "header.a:b", "invalid_name", "invalid header name in {header.a:b}"],
    ["{var.1x}", "var.1x", "invalid_name", "invalid variable name in {var.1x}"],
    ["{var.a.b}", "var.a.b", "invalid_name", "invalid variable name in {var.a.b}"],
    ["{secret:}", "secret:", "invalid_name", "invalid secret name in {secret:}"],
    ["{secret:a/b}", "secret:a/b", "invalid_name", "invalid secret name in {secret:a/b}"],
    ["{env:TRIGGER_VAR_}", "env:TRIGGER_VAR_", "invalid_name", "invalid environment variable name in {env:TRIGGER_VAR_}"],
  ])("rejects %s naming the variable", (source, variable, code, message) => {
    const error = parseError(source);
    expect(error.code).toBe(code);
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
  });

  it.each(["{env:DATABASE_URL}", "{env:ADMIN_TOKEN}", "{env:trigger_var_x}", "{env:QSTASH_TOKEN}"])("refuses %s: only TRIGGER_VAR_ names are readable", (source) => {
    const error = parseError(source);
    expect(error.code).toBe("forbidden_env");
    expect(error.variable).toBe(source.slice(1, -1));
    expect(error.message).toContain("TRIGGER_VAR_");
  });

  it.each([
    ["Hello {name", 6, "name"],
    ["{body.a", 0, "body.a"],
    ["a {event_id b}", 2, "event_id"],
    ["{event_id{uuid}}", 0, "event_id"],
    ["x\n{uuid\n}", 2, "uuid"],
  ])("reports an unclosed placeholder in %j at its position", (source, position, variable) => {
    const error = parseError(source);
    expect(error.code).toBe("syntax");
    expect(error.position).toBe(position);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain("unclosed placeholder");
  });

  it("reports the position of the first bad placeholder after good ones", () => {
    const error = parseError("{event_id} and {nope}");
    expect(error.position).toBe(15);
    expect(error.variable).toBe("nope");
  });
});

describe("referencedSecrets / referencedVars", () => {
  const source = "{secret:B} {header.X-A} {secret:A} {var.team} {secret:B} {body.x} {var.team}";

  it("lists the secrets to load before rendering", () => {
    expect(referencedSecrets(source)).toEqual(["B", "A"]);
    expect(referencedSecrets(parseTemplate("{body} {env:TRIGGER_VAR_X}"))).toEqual([]);
  });

  it("lists the callback variables used", () => {
    expect(referencedVars(source)).toEqual(["team"]);
  });

  it("throws TemplateError for an invalid source", () => {
    expect(() => referencedSecrets("{secret:A} {oops}")).toThrow(TemplateError);
  });
});
