import { describe, expect, it } from "vitest";
import { MASKED_SECRETS, TemplateRenderError, maskSecrets, renderTemplate } from "@/lib/templates";
import type { TemplateContext } from "@/lib/templates";
import { fixedNow, jsonBodyContext, makeContext } from "./context-fixture";

const text = (source: string, context: TemplateContext = makeContext()) => renderTemplate(source, "text", context);
const json = (source: string, context: TemplateContext = makeContext()): unknown => JSON.parse(renderTemplate(source, "json", context));

function renderError(source: string, context: TemplateContext): TemplateRenderError {
  try {
    renderTemplate(source, "text", context);
  } catch (error) {
    if (error instanceof TemplateRenderError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe("each variable in text mode", () => {
  it.each([
    ["{uuid}", "11111111-2222-4333-8444-555555555555"],
    ["{timestamp}", String(Math.floor(fixedNow.getTime() / 1000))],
    ["{timestamp_ms}", String(fixedNow.getTime())],
    ["{callback_id}", "cb_456"],
    ["{destination_id}", "dst_012"],
    ["{event_id}", "evt_123"],
    ["{delivery_id}", "dlv_789"],
    ["{attempt}", "2"],
    ["{method}", "POST"],
    ["{path}", "/api/hooks/github"],
    ["{query.ref}", "main"],
    ["{query.tag}", '["a","b"]'],
    ["{header.x-github-event}", "push"],
    ["{header.X-GITHUB-EVENT}", "push"],
    ["{body.action}", "opened"],
    ["{body.count}", "3"],
    ["{body.ok}", "true"],
    ["{body.nothing}", ""],
    ["{body.repo}", '{"name":"switchyard"}'],
    ["{body.repo.name}", "switchyard"],
    ["{body.items.1.id}", "8"],
    ["{var.team}", "core"],
    ["{env:TRIGGER_VAR_REGION}", "eu-west-1"],
    ["{secret:API_TOKEN}", "tok-secret"],
  ])("%s → %s", (source, expected) => {
    expect(text(source)).toBe(expected);
  });

  it("renders {timestamp} as whole unix seconds", () => {
    expect(text("{timestamp}")).toBe("1714979289");
  });

  it("renders {body} of a JSON body as compact JSON and {original_payload} exactly", () => {
    const raw = '{ "a" : [1, 2],\n  "b": "x" }';
    const context = makeContext({ event: { body: raw } });
    expect(text("{body}", context)).toBe('{"a":[1,2],"b":"x"}');
    expect(text("{original_payload}", context)).toBe(raw);
  });

  it.each([
    ["missing key", "{body.nope}"],
    ["missing nested key", "{body.repo.owner.login}"],
    ["index past the end", "{body.items.5.id}"],
    ["non-numeric index", "{body.items.first}"],
    ["index with leading zero", "{body.items.01.id}"],
    ["path into a string", "{body.action.length}"],
    ["inherited property", "{body.constructor}"],
    ["prototype", "{body.__proto__}"],
    ["missing header", "{header.x-missing}"],
    ["missing query", "{query.nope}"],
    ["inherited query property", "{query.toString}"],
  ])("renders a %s as empty text", (_name, source) => {
    expect(text(`[${source}]`)).toBe("[]");
  });

  it("renders a missing value as null in JSON value position", () => {
    expect(json('{"a":{body.nope},"b":{header.x-missing},"c":{query.nope}}')).toEqual({ a: null, b: null, c: null });
  });

  it("keeps one {uuid} per context, calling the generator once", () => {
    let calls = 0;
    const context = makeContext({ uuid: () => `u${(calls += 1)}` });
    expect(text("{uuid}/{uuid}", context)).toBe("u1/u1");
    expect(renderTemplate("{uuid}", "header", context)).toBe("u1");
    expect(calls).toBe(1);
    expect(text("{uuid}", makeContext({ uuid: () => "other" }))).toBe("other");
  });
});

describe("request bodies", () => {
  it.each([
    ["application/json; charset=utf-8", '{"a":{"b":1}}', "1"],
    ["application/vnd.github+json", '{"a":{"b":1}}', "1"],
    ["text/plain (mislabelled JSON object)", '{"a":{"b":1}}', "1"],
    [undefined, '  {"a":{"b":1}}', "1"],
    ["application/json", '\uFEFF{"a":{"b":1}}', "1"],
    ["application/json", "not json", ""],
    ["text/plain", "a.b", ""],
  ])("content type %s, body %j: {body.a.b} → %j", (contentType, body, expected) => {
    const context = makeContext({ event: { body, contentType, headers: {} } });
    expect(text("{body.a.b}", context)).toBe(expected);
  });

  it("uses the content-type header when contentType is absent", () => {
    const context = makeContext({
      event: { body: "x=1&y=two+words", contentType: undefined, headers: { "content-type": "application/x-www-form-urlencoded" } },
    });
    expect(text("{body.y}", context)).toBe("two words");
  });

  it("reads form bodies by field, repeated fields as arrays, and {body} as the text", () => {
    const body = "name=J%C3%BCrgen&tag=a&tag=b&__proto__=p&empty=";
    const context = makeContext({ event: { body, contentType: "application/x-www-form-urlencoded" } });
    expect(text("{body.name}|{body.tag}|{body.tag.1}|{body.__proto__}|{body.empty}|{body.none}", context)).toBe('Jürgen|["a","b"]|b|p||');
    expect(text("{body}", context)).toBe(body);
    expect(json('{"b":{body},"t":{body.tag}}', context)).toEqual({ b: body, t: ["a", "b"] });
  });

  it("treats a JSON scalar body as its value in JSON mode", () => {
    const context = makeContext({ event: { body: '"hi"', contentType: "application/json" } });
    expect(json("{body}", context)).toBe("hi");
    expect(text("{body}", context)).toBe("hi");
    expect(text("{original_payload}", context)).toBe('"hi"');
  });

  it("renders a base64 body as its base64 text, with no paths", () => {
    const context = makeContext({ event: { body: "eyJhIjoxfQ==", bodyEncoding: "base64", contentType: "application/json" } });
    expect(text("{body}|{original_payload}|{body.a}", context)).toBe("eyJhIjoxfQ==|eyJhIjoxfQ==|");
    expect(json("{body}", context)).toBe("eyJhIjoxfQ==");
  });

  it("reads own JSON keys named like prototype members", () => {
    const context = makeContext({ event: { body: '{"__proto__":{"x":1},"constructor":"c"}' } });
    expect(text("{body.__proto__.x}|{body.constructor}", context)).toBe("1|c");
  });
});

describe("operator-supplied values", () => {
  it.each([
    ["{var.undefined_one}", "var.undefined_one", 'variable "undefined_one" is not defined'],
    ["{var.toString}", "var.toString", 'variable "toString" is not defined'],
    ["{env:TRIGGER_VAR_UNSET}", "env:TRIGGER_VAR_UNSET", "environment variable TRIGGER_VAR_UNSET is not set"],
    ["{secret:NOPE}", "secret:NOPE", 'secret "NOPE" does not exist'],
  ])("%s fails the render instead of sending an empty value", (source, variable, message) => {
    const error = renderError(`x-${source}`, makeContext());
    expect(error.code).toBe("missing_value");
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
  });

  it("passes env names to the caller's reader as written", () => {
    const asked: string[] = [];
    const context = makeContext({ env: (name) => (asked.push(name), "v") });
    expect(text("{env:TRIGGER_VAR_A}{env:TRIGGER_VAR_b1}", context)).toBe("vv");
    expect(asked).toEqual(["TRIGGER_VAR_A", "TRIGGER_VAR_b1"]);
  });

  it("masks every secret for previews, including ones not loaded", () => {
    const masked = maskSecrets(makeContext());
    expect(masked.secrets).toBe(MASKED_SECRETS);
    expect(text("Bearer {secret:API_TOKEN} / {secret:NOT_LOADED}", masked)).toBe("Bearer *** / ***");
    expect(json('{"t":{secret:API_TOKEN},"s":"k={secret:API_TOKEN}"}', masked)).toEqual({ t: "***", s: "k=***" });
    expect(text("{secret:API_TOKEN}", makeContext())).toBe("tok-secret");
  });

  it("inserts values verbatim in text mode", () => {
    const context = jsonBodyContext({ s: 'a"b\\c\n{d}' }, { vars: { v: "{event_id}" } });
    expect(text("{body.s}|{var.v}", context)).toBe('a"b\\c\n{d}|{event_id}');
  });
});
