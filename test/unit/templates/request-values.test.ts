// Request data fills a topic level or a routing-key word but cannot choose the target: no extra
// MQTT levels, no "$" topic, no extra AMQP words, and no place in a URL's origin.
import { describe, expect, it } from "vitest";
import { TemplateError, TemplateRenderError, isRequestExpression, validateTemplate, parseTemplate, placeholdersInOrigin, renderTemplate, requestPlaceholderInOrigin } from "@/lib/templates";
import type { TemplateContext, TemplateMode } from "@/lib/templates";
import { jsonBodyContext, makeContext } from "./context-fixture";

const render = (source: string, mode: TemplateMode, context: TemplateContext) => renderTemplate(source, mode, context);
const withBody = (value: Record<string, unknown>) => jsonBodyContext(value);

function renderError(source: string, mode: TemplateMode, context: TemplateContext): TemplateRenderError {
  try {
    render(source, mode, context);
  } catch (error) {
    if (error instanceof TemplateRenderError) return error;
    throw error;
  }
  throw new Error(`${source} rendered without error`);
}

describe("MQTT topic: request values fill one level", () => {
  it("accepts a request value inside a level", () => {
    expect(render("devices/{body.room}/state", "mqtt_topic", withBody({ room: "kitchen-1" }))).toBe("devices/kitchen-1/state");
  });

  it.each([
    ["a body field", "devices/{body.room}/state", withBody({ room: "kitchen/../admin" }), "body.room"],
    ["a query parameter", "devices/{query.room}", makeContext({ event: { query: { room: "a/b" } } }), "query.room"],
    ["a header", "devices/{header.x-room}", makeContext({ event: { headers: { "X-Room": "a/b" } } }), "header.x-room"],
  ])("refuses %s that adds a level", (_name, source, context, variable) => {
    const error = renderError(source, "mqtt_topic", context);
    expect(error).toMatchObject({ code: "invalid_result", mode: "mqtt_topic", variable });
    expect(error.message).toMatch(/request data and may not add levels to the MQTT topic/);
  });

  it("refuses {path} in a topic at save time: a request path always adds levels", () => {
    expect(() => validateTemplate("hooks{path}", "mqtt_topic")).toThrow(TemplateError);
    expect(() => validateTemplate("hooks{path}", "mqtt_topic")).toThrow(
      expect.objectContaining({ code: "invalid_for_mode", variable: "path", message: expect.stringMatching(/may not add levels to the MQTT topic.*whatever values are inserted/) }),
    );
    expect(() => validateTemplate("hooks/{method}", "mqtt_topic")).not.toThrow();
    expect(() => validateTemplate("https://example.com/in{path}", "url")).not.toThrow();
  });

  it("refuses a request value that would start the topic with $", () => {
    const error = renderError("{body.room}/state", "mqtt_topic", withBody({ room: "$SYS" }));
    expect(error.message).toMatch(/may not start the MQTT topic with "\$"/);
    expect(renderError("{body.a}{body.b}/x", "mqtt_topic", withBody({ a: "", b: "$share" })).variable).toBe("body.b");
  });

  it("lets a $ inside a level through: only the topic's start is reserved", () => {
    expect(render("prices/{body.p}", "mqtt_topic", withBody({ p: "$5" }))).toBe("prices/$5");
  });

  it("lets the operator's own values add levels: {var.…}, {env:…} and {secret:…} are configuration", () => {
    const context = makeContext({ vars: { base: "site/eu" }, envValues: { TRIGGER_VAR_ZONE: "z/1" }, secrets: { TENANT: "t/9" } });
    expect(render("{var.base}/{env:TRIGGER_VAR_ZONE}/{secret:TENANT}", "mqtt_topic", context)).toBe("site/eu/z/1/t/9");
  });

  it("never quotes the refused value in its message", () => {
    expect(renderError("d/{body.room}", "mqtt_topic", withBody({ room: "top/secret-value" })).message).not.toContain("secret-value");
  });
});

describe("AMQP routing key: request values fill one word", () => {
  it("accepts a request value inside a word", () => {
    expect(render("orders.{body.kind}.created", "amqp_routing_key", withBody({ kind: "retail" }))).toBe("orders.retail.created");
  });

  it.each([
    ["a body field", "orders.{body.kind}", withBody({ kind: "retail.#" })],
    ["a number with a fraction", "prices.{body.p}", withBody({ p: 1.5 })],
    ["the whole body", "k.{body}", withBody({ a: "x.y" })],
  ])("refuses %s that adds a word", (_name, source, context) => {
    const error = renderError(source, "amqp_routing_key", context);
    expect(error).toMatchObject({ code: "invalid_result", mode: "amqp_routing_key" });
    expect(error.message).toMatch(/may not add words to the AMQP routing key/);
  });

  it("lets the operator's {var.…} add words", () => {
    expect(render("{var.prefix}.{body.kind}", "amqp_routing_key", makeContext({ vars: { prefix: "shop.eu" }, event: { body: '{"kind":"x"}' } }))).toBe("shop.eu.x");
  });
});

describe("which placeholders are request data", () => {
  it.each([
    ["body", true],
    ["body.a.b", true],
    ["query.q", true],
    ["header.x-a", true],
    ["path", true],
    ["method", true],
    ["original_payload", true],
    ["var.a", false],
    ["env:TRIGGER_VAR_A", false],
    ["secret:A", false],
    ["uuid", false],
    ["callback_id", false],
    ["timestamp", false],
  ])("{%s} → %s", (text, expected) => {
    const [placeholder] = parseTemplate(`{${text}}`).placeholders;
    expect(placeholder && isRequestExpression(placeholder.expression)).toBe(expected);
  });
});

describe("URL origin placement (save time)", () => {
  const inOrigin = (source: string) => placeholdersInOrigin(parseTemplate(source)).map((placeholder) => placeholder.text);
  const requestInOrigin = (source: string) => requestPlaceholderInOrigin(parseTemplate(source))?.text;

  it.each([
    ["the whole URL", "{body.url}", "body.url"],
    ["the host", "https://{body.host}/x", "body.host"],
    ["part of the host", "https://{query.tenant}.example.com/x", "query.tenant"],
    ["the port", "https://example.com:{body.port}/x", "body.port"],
    ["the userinfo", "https://{header.x-user}@example.com/x", "header.x-user"],
    ["the scheme", "{method}://example.com/x", "method"],
    ["a host with no path after it", "https://example.com{path}", "path"],
    ["the host after a base placeholder", "{var.scheme}://{body.h}/x", "body.h"],
    ["text glued to a base placeholder", "{var.base}{body.x}/y", "body.x"],
    ["the authority with a backslash after it", "https://{body.h}\\x", "body.h"],
  ])("finds request data in %s", (_name, source, expected) => {
    expect(requestInOrigin(source)).toBe(expected);
  });

  it.each([
    ["the path", "https://example.com/{body.id}"],
    ["the query", "https://example.com?q={query.q}"],
    ["the fragment", "https://example.com#{body.f}"],
    ["after a base placeholder and a slash", "{var.base}/{body.id}?q={query.q}"],
    ["static values in the host", "https://{var.host}:{env:TRIGGER_VAR_PORT}/{body.id}"],
    ["secrets in the userinfo", "https://{secret:USER}:{secret:PASS}@example.com/{body.id}"],
  ])("allows request data in %s", (_name, source) => {
    expect(requestInOrigin(source)).toBeUndefined();
  });

  it("lists static placeholders of the origin too", () => {
    expect(inOrigin("https://{var.host}:{var.port}/{body.id}")).toEqual(["var.host", "var.port"]);
  });
});
