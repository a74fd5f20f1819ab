// With ALLOW_PRIVATE_DESTINATIONS=false, destinations on loopback, private, link-local and
// metadata addresses — as literals, IPv4-mapped IPv6, or names resolving there, and OAuth2 token
// URLs — fail permanently with a clear recorded error, and nothing reaches them. (Redirect hops
// are checked in test/unit/destinations/http/redirects.test.ts, where the first hop can be made
// to count as public.)
import { describe, expect, it } from "vitest";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { withEnv } from "../../../support/env-override";
import { useApp } from "../../../support/harness";
import { useSink } from "../../../support/sink";
import { fireTrigger } from "../../../support/trigger";

const app = useApp();
const sink = useSink();

const suffix = "; blocked (set ALLOW_PRIVATE_DESTINATIONS=true to allow)";

describe("SSRF guard (ALLOW_PRIVATE_DESTINATIONS=false)", () => {
  it("refuses every private target with a permanent failure naming the address, and nothing reaches the server", async () => {
    const port = sink.port;
    const targets: Array<[string, string | RegExp]> = [
      [`http://127.0.0.1:${port}/literal`, `destination address 127.0.0.1 is private/loopback${suffix}`],
      ["http://10.0.0.1/internal", `destination address 10.0.0.1 is private/loopback (RFC 1918)${suffix}`],
      ["http://169.254.169.254/latest/meta-data/", `destination address 169.254.169.254 is a cloud metadata endpoint${suffix}`],
      [`http://[::1]:${port}/v6`, `destination address ::1 is private/loopback${suffix}`],
      [`http://[::ffff:127.0.0.1]:${port}/mapped`, `destination address ::ffff:7f00:1 is private/loopback${suffix}`],
      [`http://localhost:${port}/name`, /^destination address (127\.0\.0\.1|::1) \(resolved from localhost\) is private\/loopback; blocked/],
    ];
    await withEnv({ ALLOW_PRIVATE_DESTINATIONS: "false" }, async () => {
      const callback = await createCallback(app.url, {
        name: "ssrf",
        retries: 2,
        destinations: targets.map(([url]) => httpDestination(url, { timeoutMs: 2000 })),
      });
      const answer = await fireTrigger(callback.triggerUrl, { body: { n: 1 } });
      expect(answer.deliveries).toHaveLength(targets.length);
      for (const [index, [url, message]] of targets.entries()) {
        const destinationId = callback.destinations[index]?.id;
        const delivery = answer.deliveries.find((item) => item.destinationId === destinationId);
        const detail = await waitForDelivery(app.url, delivery?.id ?? "", ["failed", "dead", "succeeded"]);
        expect(detail.status, url).toBe("failed");
        expect(detail.attempts, url).toBe(1);
        expect(detail.lastError, url).toMatch(message);
      }
    });
    expect(sink.requests).toHaveLength(0);
  });

  it("refuses an OAuth2 token URL on loopback before asking it for anything", async () => {
    await withEnv({ ALLOW_PRIVATE_DESTINATIONS: "false" }, async () => {
      const callback = await createCallback(app.url, {
        name: "ssrf-oauth",
        destinations: [
          httpDestination("http://192.0.2.10/api", {
            timeoutMs: 1000,
            auth: { type: "oauth2_client_credentials", tokenUrl: `${sink.url}/token`, clientId: "c", clientSecret: "ssrf-client-secret" },
          }),
        ],
      });
      const answer = await fireTrigger(callback.triggerUrl, { body: {} });
      const detail = await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["failed", "dead", "succeeded"]);
      expect(detail.status).toBe("failed");
      expect(detail.lastError).toBe(`OAuth2 token request failed: destination address 127.0.0.1 is private/loopback${suffix}`);
    });
    expect(sink.requests).toHaveLength(0);
  });
});
