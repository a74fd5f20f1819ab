import { describe, expect, it } from "vitest";
import { TemplateError, TemplateRenderError, renderTemplate } from "@/lib/templates";
import type { TemplateContext } from "@/lib/templates";
import { jsonBodyContext, makeContext } from "./context-fixture";

const render = (source: string, context: TemplateContext) => renderTemplate(source, "json", context);
const renderParsed = (source: string, context: TemplateContext): unknown => JSON.parse(render(source, context));

describe("json mode: placeholder inside a string literal", () => {
  it.each([
    ["plain", "hello", '"hello"'],
    ["quote", 'say "hi"', '"say \\"hi\\""'],
    ["backslash", "C:\\dir\\", '"C:\\\\dir\\\\"'],
    ["newline and tab", "a\nb\tc", '"a\\nb\\tc"'],
    ["control char", "a\u0001b", '"a\\u0001b"'],
    ["line separators", "a\u2028b\u2029c", '"a\\u2028b\\u2029c"'],
    ["lone surrogate", "a\uD800b", '"a\\ud800b"'],
    ["braces", "{event_id}", '"{event_id}"'],
  ])("escapes a %s value without adding quotes", (_name, value, expected) => {
    const output = render('{"v":"{body.v}"}', jsonBodyContext({ v: value }));
    expect(output).toBe(`{"v":${expected}}`);
    expect(JSON.parse(output)).toEqual({ v: value });
  });

  it("embeds an object value as its JSON text inside the string", () => {
    expect(renderParsed('{"s":"repo={body.repo}"}', jsonBodyContext({ repo: { name: "x" } }))).toEqual({ s: 'repo={"name":"x"}' });
  });

  it("places several values inside one string, also in keys", () => {
    const context = jsonBodyContext({ a: 'q"', b: "\\" }, { vars: { k: 'key"' } });
    expect(renderParsed('{"{var.k}":"{body.a}-{body.b}-{event_id}"}', context)).toEqual({ 'key"': 'q"-\\-evt_123' });
  });

  it.each([
    ["value breaking out of its string", '","admin":true,"x":"'],
    ["value closing the object", '"}, "admin": true, "y": {"z":"'],
    ["backslash before the closing quote", "\\"],
    ["escaped quote trick", '\\",\\"admin\\":true,\\"x\\":\\"'],
    ["raw newline", 'x"\n,"admin":true'],
  ])("keeps an injection attempt (%s) inside its string", (_name, attack) => {
    const template = '{"user":"{body.name}","admin":false}';
    const result = renderParsed(template, jsonBodyContext({ name: attack }));
    expect(result).toEqual({ user: attack, admin: false });
  });

  it("keeps a header value injection inside its string", () => {
    const context = makeContext({ event: { headers: { "X-User": '"}],"admin":true,"a":[{"b":"' } } });
    expect(renderParsed('{"u":"{header.x-user}","admin":false}', context)).toEqual({
      u: '"}],"admin":true,"a":[{"b":"',
      admin: false,
    });
  });
});

describe("json mode: placeholder in value position", () => {
  it.each([
    ["object", { a: { b: [1, "x"] } }, "{body.a}", { b: [1, "x"] }],
    ["array", { a: [1, 2] }, "{body.a}", [1, 2]],
    ["number", { a: 4.5 }, "{body.a}", 4.5],
    ["boolean", { a: false }, "{body.a}", false],
    ["null", { a: null }, "{body.a}", null],
    ["string (quotes added)", { a: 'x"y' }, "{body.a}", 'x"y'],
    ["missing → null", { a: 1 }, "{body.zzz}", null],
    ["whole body", { a: 1 }, "{body}", { a: 1 }],
  ])("inserts a whole %s value", (_name, body, placeholder, expected) => {
    expect(renderParsed(`{"v":${placeholder}}`, jsonBodyContext(body))).toEqual({ v: expected });
  });

  it("inserts numbers as numbers and identifiers as strings", () => {
    expect(renderParsed('{"attempt":{attempt},"ts":{timestamp},"id":{event_id},"m":{method}}', makeContext())).toEqual({
      attempt: 2,
      ts: 1714979289,
      id: "evt_123",
      m: "POST",
    });
  });

  it("inserts the raw body text as a JSON string via {original_payload}", () => {
    const raw = '{"a": 1}';
    expect(renderParsed('{"raw":{original_payload}}', makeContext({ event: { body: raw } }))).toEqual({ raw });
  });

  it("passes a whole-body template through", () => {
    const body = { deep: { list: [1, { x: "y" }] }, s: "\u2028" };
    const output = render("{body}", jsonBodyContext(body));
    expect(JSON.parse(output)).toEqual(body);
    expect(output).not.toContain("\u2028");
  });

  it("inserts values in arrays", () => {
    expect(renderParsed("[{body.a}, {attempt}, {body.none}]", jsonBodyContext({ a: "x" }))).toEqual(["x", 2, null]);
  });

  it("leaves the literal JSON around placeholders untouched", () => {
    const template = '{\n  "nested": {"a": [1, {"b": "{{not a placeholder}"}]},\n  "id": {event_id}\n}';
    const output = render(template, makeContext());
    expect(output).toBe('{\n  "nested": {"a": [1, {"b": "{not a placeholder}"}]},\n  "id": "evt_123"\n}');
  });
});

describe("json mode: invalid templates and results", () => {
  it.each([
    ["unbalanced braces", '{"a": {body.x}'],
    ["placeholder glued to a number", '{"n": 1{attempt}}'],
    ["two adjacent values", "[{body.a}{body.b}]"],
    ["not JSON at all", "hello {event_id}"],
    ["empty template", ""],
    ["trailing comma", '{"a": {attempt},}'],
  ])("rejects %s as a TemplateError", (_name, template) => {
    expect(() => render(template, makeContext())).toThrow(TemplateError);
  });

  it.each([
    ['"\\{body.x}"', "body.x"],
    ['{"a":"\\u{attempt}"}', "attempt"],
    ['{"a":"\\u00{attempt}"}', "attempt"],
  ])("rejects a placeholder inside an escape sequence: %s", (template, variable) => {
    expect(() => render(template, makeContext())).toThrow(expect.objectContaining({ name: "TemplateError", variable }));
  });

  it("accepts a placeholder right after a completed escape", () => {
    expect(renderParsed('{"a":"\\n{attempt}","b":"\\u0041{attempt}"}', makeContext())).toEqual({ a: "\n2", b: "A2" });
  });

  it("fails with TemplateRenderError when a value in key position is not a string", () => {
    const template = "{ {body.k}: 1}";
    expect(renderParsed(template, jsonBodyContext({ k: "name" }))).toEqual({ name: 1 });
    expect(() => render(template, jsonBodyContext({ k: 5 }))).toThrow(TemplateRenderError);
  });

  it("fails with TemplateRenderError instead of overflowing the stack on absurd nesting", () => {
    const depth = 200_000;
    const body = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const context = makeContext({ event: { body, contentType: "application/json" } });
    expect(() => render('{"b":{body}}', context)).toThrow(TemplateRenderError);
    expect(() => renderTemplate("{body}", "text", context)).toThrow(TemplateRenderError);
  });
});
