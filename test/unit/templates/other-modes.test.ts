import { describe, expect, it } from "vitest";
import { TemplateError, TemplateRenderError, renderTemplate } from "@/lib/templates";
import type { TemplateContext, TemplateMode } from "@/lib/templates";
import { jsonBodyContext, makeContext } from "./context-fixture";

const withValue = (value: string): TemplateContext => jsonBodyContext({ v: value });
const render = (source: string, mode: TemplateMode, context: TemplateContext = makeContext()) => renderTemplate(source, mode, context);

describe("header mode", () => {
  it.each([
    ["CRLF header injection", "v\r\nX-Admin: true", "vX-Admin: true"],
    ["bare LF", "a\nb", "ab"],
    ["bare CR", "a\rb", "ab"],
    ["NUL", "a\u0000b", "ab"],
    ["tab and DEL", "a\tb\u007fc", "abc"],
    ["C1 next-line", "a\u0085b", "ab"],
    ["line separator", "a\u2028b\u2029c", "abc"],
    ["printable punctuation", 'a"b\\c{d}', 'a"b\\c{d}'],
    ["unicode", "Jürgen ✓", "Jürgen ✓"],
  ])("neutralises %s in an inserted value", (_name, value, expected) => {
    const output = render("Bearer {body.v}", "header", withValue(value));
    expect(output).toBe(`Bearer ${expected}`);
    expect(output).not.toMatch(/[\r\n]/);
  });

  it("strips CR/LF from a header value taken from a request header", () => {
    const context = makeContext({ event: { headers: { "X-Trace": "t1\r\n\r\nGET /evil HTTP/1.1" } } });
    expect(render("{header.x-trace}", "header", context)).toBe("t1GET /evil HTTP/1.1");
  });

  it("strips control characters from secrets and vars too", () => {
    const context = makeContext({ secrets: { API_TOKEN: "tok\r\nX: y" }, vars: { team: "a\nb" } });
    expect(render("{secret:API_TOKEN}/{var.team}", "header", context)).toBe("tokX: y/ab");
  });

  it("renders an object value as compact JSON", () => {
    expect(render("{body.repo}", "header")).toBe('{"name":"switchyard"}');
  });

  it.each([
    ["CRLF", "a\r\nb {event_id}", 1],
    ["LF", "{event_id}\nX: 1", 10],
    ["tab", "a\t{event_id}", 1],
    ["NUL", "\u0000", 0],
  ])("rejects a literal %s in the template, with its position", (_name, template, position) => {
    expect(() => render(template, "header")).toThrow(TemplateError);
    expect(() => render(template, "header")).toThrow(expect.objectContaining({ position, code: "invalid_for_mode" }));
    expect(() => render(template, "text")).not.toThrow();
  });
});

describe("form mode", () => {
  it.each([
    ["ampersand and equals", "a&b=c", "a%26b%3Dc"],
    ["space", "two words", "two+words"],
    ["plus", "1+1", "1%2B1"],
    ["percent", "100%", "100%25"],
    ["reserved punctuation", "!'()~", "%21%27%28%29%7E"],
    ["unreserved", "aZ0-._*", "aZ0-._*"],
    ["unicode", "é", "%C3%A9"],
    ["newline", "a\r\nb", "a%0D%0Ab"],
    ["lone surrogate", "\uDC00", "%EF%BF%BD"],
  ])("encodes %s", (_name, value, encoded) => {
    expect(render("x={body.v}&y=1", "form", withValue(value))).toBe(`x=${encoded}&y=1`);
  });

  it("round-trips through URLSearchParams without adding fields", () => {
    const value = "a&admin=true&b=ü +";
    const params = new URLSearchParams(render("msg={body.v}&from={header.x-github-event}", "form", withValue(value)));
    expect([...params.keys()]).toEqual(["msg", "from"]);
    expect(params.get("msg")).toBe(value);
    expect(params.get("from")).toBe("push");
  });
});

describe("xml mode", () => {
  it.each([
    ["markup", "<a>&</a>", "&lt;a&gt;&amp;&lt;/a&gt;"],
    ["quotes", `"it's"`, "&quot;it&apos;s&quot;"],
    ["an entity already escaped", "&amp;", "&amp;amp;"],
    ["XML-forbidden control characters", "a\u0000b\u0008c\u000bd", "abcd"],
    ["allowed whitespace", "a\tb\nc\rd", "a\tb\nc\rd"],
  ])("escapes %s", (_name, value, expected) => {
    expect(render("<m v='{body.v}'>{body.v}</m>", "xml", withValue(value))).toBe(`<m v='${expected}'>${expected}</m>`);
  });

  it("cannot inject an element", () => {
    const output = render("<user>{body.v}</user><admin>false</admin>", "xml", withValue("</user><admin>true</admin><user>"));
    expect(output.match(/<admin>/g)).toHaveLength(1);
  });
});

describe("mqtt_topic mode", () => {
  it("renders a valid topic", () => {
    expect(render("devices/{body.repo.name}/events/{event_id}", "mqtt_topic")).toBe("devices/switchyard/events/evt_123");
  });

  it.each([
    ["single-level wildcard", "a+b"],
    ["multi-level wildcard", "#"],
    ["NUL", "a\u0000b"],
    ["control character", "a\nb"],
    ["lone surrogate", "a\uD800"],
    ["an empty value leaving an empty level", ""],
    ["a leading slash", "/x"],
    ["a trailing slash", "x/"],
  ])("rejects a value with %s", (_name, value) => {
    expect(() => render("devices/{body.v}/events", "mqtt_topic", withValue(value))).toThrow(TemplateRenderError);
  });

  it.each([
    ["literal +", "devices/+/{event_id}"],
    ["literal #", "devices/{event_id}/#"],
    ["leading slash", "/devices/{event_id}"],
    ["trailing slash", "devices/{event_id}/"],
    ["double slash", "devices//{event_id}"],
    ["empty", ""],
  ])("rejects a template with a %s", (_name, template) => {
    expect(() => render(template, "mqtt_topic")).toThrow(TemplateError);
  });

  it("rejects a topic whose value is missing entirely", () => {
    expect(() => render("{body.none}", "mqtt_topic")).toThrow(TemplateRenderError);
  });

  it("enforces the 65535-byte limit counting UTF-8 bytes", () => {
    const fits = "é".repeat(32_767); // 65534 bytes
    expect(render("{body.v}", "mqtt_topic", withValue(fits))).toBe(fits);
    expect(() => render("{body.v}x", "mqtt_topic", withValue(fits))).not.toThrow();
    expect(() => render("{body.v}xy", "mqtt_topic", withValue(fits))).toThrow(TemplateRenderError);
  });

  it("allows AWS IoT style $ topics", () => {
    expect(render("$aws/things/{body.repo.name}/shadow/update", "mqtt_topic")).toBe("$aws/things/switchyard/shadow/update");
  });
});

describe("amqp_routing_key mode", () => {
  it("renders values as text", () => {
    expect(render("events.{body.action}.{event_id}", "amqp_routing_key")).toBe("events.opened.evt_123");
  });

  it("allows exactly 255 UTF-8 bytes and no more", () => {
    const twoByte = "é".repeat(127); // 254 bytes
    expect(render("{body.v}x", "amqp_routing_key", withValue(twoByte))).toHaveLength(128);
    expect(() => render("{body.v}xy", "amqp_routing_key", withValue(twoByte))).toThrow(TemplateRenderError);
    expect(() => render("{body.v}", "amqp_routing_key", withValue("😀".repeat(64)))).toThrow(TemplateRenderError);
  });

  it("rejects a literal key that is already too long", () => {
    expect(() => render(`${"k".repeat(256)}{event_id}`, "amqp_routing_key")).toThrow(TemplateError);
    expect(() => render(`${"k".repeat(255)}{body.none}`, "amqp_routing_key")).not.toThrow();
  });
});

describe("text mode", () => {
  it("inserts values unchanged and never validates the result", () => {
    expect(render("{body.v}", "text", withValue("a\r\n+#/<&>"))).toBe("a\r\n+#/<&>");
  });
});
