// The presets complete a broker URL by writing text into it, never by re-serialising it: a
// percent-encoded or masked password, an IPv6 host, a query and an explicit default port all stay
// as the operator wrote them.
import { describe, expect, it } from "vitest";
import { effectivePort, urlParts, withDefaultPath, withDefaultPort } from "@/lib/destinations/presets/config-reading";

describe("urlParts", () => {
  it("sees a port the WHATWG parser would hide (wss:443) and the userinfo's user", () => {
    expect(urlParts("wss://user:p%40ss@host.example:443/mqtt")).toMatchObject({ scheme: "wss", host: "host.example", port: 443, path: "/mqtt", username: "user" });
    expect(new URL("wss://host.example:443/mqtt").port).toBe("");
  });

  it("reads an IPv6 host with and without a port, and no port as the scheme's", () => {
    expect(urlParts("mqtts://[::1]:8883")).toMatchObject({ host: "[::1]", port: 8883 });
    const bare = urlParts("mqtts://[::1]");
    expect(bare).toMatchObject({ host: "[::1]", port: undefined });
    expect(bare && effectivePort(bare)).toBe(8883);
  });

  it("takes the last @ as the end of the userinfo", () => {
    expect(urlParts("amqps://user:a@b@host.example/vhost")).toMatchObject({ host: "host.example", username: "user", path: "/vhost" });
  });

  it("is undefined for anything without scheme://", () => {
    expect(urlParts("host.example:8883")).toBeUndefined();
    expect(urlParts(42)).toBeUndefined();
  });
});

describe("withDefaultPort and withDefaultPath", () => {
  it("insert the port after the host and keep the password byte for byte", () => {
    expect(withDefaultPort("amqps://user:p%25ss%2F@host.example/vhost", 5671)).toBe("amqps://user:p%25ss%2F@host.example:5671/vhost");
    expect(withDefaultPort("mqtts://user:***@host.example", 8883)).toBe("mqtts://user:***@host.example:8883");
    expect(withDefaultPort("mqtts://[::1]", 8883)).toBe("mqtts://[::1]:8883");
  });

  it("leave a written port, even the scheme's default, and a templated host alone", () => {
    expect(withDefaultPort("wss://host.example:443", 8884)).toBe("wss://host.example:443");
    expect(withDefaultPort("https://{var.host}/topics/t", 8443)).toBe("https://{var.host}/topics/t");
  });

  it("add a path only where there is none (or only /) and no query", () => {
    expect(withDefaultPath("wss://host.example:443", "/mqtt")).toBe("wss://host.example:443/mqtt");
    expect(withDefaultPath("wss://host.example:443/", "/mqtt")).toBe("wss://host.example:443/mqtt");
    expect(withDefaultPath("wss://host.example:443/ws", "/mqtt")).toBe("wss://host.example:443/ws");
    expect(withDefaultPath("wss://host.example:443?x=1", "/mqtt")).toBe("wss://host.example:443?x=1");
  });
});
