import { describe, expect, it } from "vitest";
import { TemplateError, TemplateRenderError, renderTemplate } from "@/lib/templates";
import type { TemplateContext } from "@/lib/templates";
import { jsonBodyContext, makeContext } from "./context-fixture";

const render = (source: string, context: TemplateContext = makeContext()) => renderTemplate(source, "url", context);

describe("url mode: values are percent-encoded", () => {
  it.each([
    ["slash", "a/b", "a%2Fb"],
    ["dot-dot-slash", "../admin", "..%2Fadmin"],
    ["question mark", "x?admin=1", "x%3Fadmin%3D1"],
    ["hash", "x#frag", "x%23frag"],
    ["at sign", "evil.com@", "evil.com%40"],
    ["ampersand and equals", "a&b=c", "a%26b%3Dc"],
    ["space and percent", "50% off", "50%25%20off"],
    ["backslash", "a\\b", "a%5Cb"],
    ["unicode", "Jürgen", "J%C3%BCrgen"],
    ["lone surrogate", "a\uD800", "a%EF%BF%BD"],
    ["CRLF", "a\r\nb", "a%0D%0Ab"],
  ])("encodes a %s", (_name, value, encoded) => {
    expect(render("https://api.example.com/items/{body.v}?q={body.v}", jsonBodyContext({ v: value }))).toBe(`https://api.example.com/items/${encoded}?q=${encoded}`);
  });

  it("cannot add path segments, query parameters or a fragment", () => {
    const context = jsonBodyContext({ id: "1/../../admin?role=root#x" });
    const url = new URL(render("https://api.example.com/users/{body.id}/profile?v=1", context));
    expect(url.pathname.split("/")).toHaveLength(4);
    expect(url.pathname).toBe("/users/1%2F..%2F..%2Fadmin%3Frole%3Droot%23x/profile");
    expect([...url.searchParams.keys()]).toEqual(["v"]);
    expect(url.hash).toBe("");
  });

  it("cannot change the host through userinfo or the authority", () => {
    const context = jsonBodyContext({ host: "evil.com/" });
    expect(() => render("https://{body.host}.example.com/x", context)).toThrow(TemplateRenderError);
    const url = new URL(render("https://api.example.com/{body.v}", jsonBodyContext({ v: "@evil.com" })));
    expect(url.hostname).toBe("api.example.com");
  });

  it.each([".", ".."])("refuses a value that forms the dot segment %j", (value) => {
    expect(() => render("https://api.example.com/a/{body.v}/b", jsonBodyContext({ v: value }))).toThrow(TemplateRenderError);
  });

  it("encodes a percent-encoded dot segment so it stays data", () => {
    const output = render("https://api.example.com/a/{body.v}/b", jsonBodyContext({ v: "%2e%2E" }));
    expect(new URL(output).pathname).toBe("/a/%252e%252E/b");
  });

  it("encodes missing values as empty text", () => {
    expect(render("https://api.example.com/x?a={body.none}&b={query.ref}")).toBe("https://api.example.com/x?a=&b=main");
  });
});

describe("url mode: a placeholder at the very start is the base URL", () => {
  it("inserts it raw", () => {
    expect(render("{var.base_url}/hooks/{event_id}")).toBe("https://api.example.com/hooks/evt_123");
  });

  it("only raw at position 0: a second leading-looking placeholder is encoded", () => {
    const context = makeContext({ vars: { base_url: "https://api.example.com", rest: "/a/b?c#d" } });
    expect(render("{var.base_url}/{var.rest}", context)).toBe("https://api.example.com/%2Fa%2Fb%3Fc%23d");
    expect(() => render("{var.base_url}{var.rest}", context)).toThrow(TemplateRenderError);
  });

  it.each([
    ["relative", "/just/a/path"],
    ["ftp scheme", "ftp://files.example.com"],
    ["javascript scheme", "javascript:alert(1)//"],
    ["empty", ""],
    ["whitespace inside", "https://api.example.com/a b"],
    ["newline", "https://api.example.com\n"],
  ])("fails the render when the base is %s", (_name, base) => {
    expect(() => render("{var.base_url}/hooks", makeContext({ vars: { base_url: base } }))).toThrow(TemplateRenderError);
  });
});

describe("url mode: template checks", () => {
  it.each([
    ["non-http scheme", "ftp://example.com/{event_id}"],
    ["relative path", "/hooks/{event_id}"],
    ["no host", "https://?q={event_id}"],
    ["third slash", "https:///{event_id}"],
    ["no slashes", "https:{event_id}"],
    ["literal dot segment", "https://example.com/a/../{event_id}"],
    ["literal newline", "https://example.com/\n{event_id}"],
  ])("rejects a %s at template time", (_name, template) => {
    expect(() => render(template)).toThrow(TemplateError);
  });

  it("accepts other schemes when asked, e.g. broker URLs", () => {
    const context = makeContext({ secrets: { pw: "p@ss/word" } });
    const output = renderTemplate("mqtts://user:{secret:pw}@broker.example.com:8883", "url", context, {
      urlProtocols: ["mqtts", "mqtt"],
    });
    expect(output).toBe("mqtts://user:p%40ss%2Fword@broker.example.com:8883");
    expect(new URL(output).hostname).toBe("broker.example.com");
    expect(() => renderTemplate("mqtts://broker.example.com/{event_id}", "url", context)).toThrow(TemplateError);
  });

  it("never quotes the rendered URL (it may carry secrets) in errors", () => {
    const context = makeContext({ vars: { base_url: "ftp://x" }, secrets: { k: "hunter2" } });
    expect(() => render("{var.base_url}/?k={secret:k}", context)).toThrow(expect.not.objectContaining({ message: expect.stringContaining("hunter2") }));
    expect(() => render("{var.base_url}/?k={secret:k}", context)).toThrow(TemplateRenderError);
  });
});
