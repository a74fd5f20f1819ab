// A TLS handshake that never finishes is retryable (the peer may be busy), unlike a certificate
// refusal: a silent peer on loopback that accepts TCP and never answers.
import { describe, expect, it } from "vitest";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";
import { makeSendContext } from "./fixtures";
import { startSilentServer } from "../../../support/silent-server";

describe("a TLS handshake that times out", () => {
  it("https: retryable timeout, not a TLS verdict", async () => {
    const silent = await startSilentServer();
    try {
      const { ca } = await tlsMaterial();
      const outcome = await sendHttp(makeSendContext({ url: `https://localhost:${silent.port}/x`, timeoutMs: 300, tls: { ca: ca.cert } }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.error).toBe("Timeout: timed out after 300 ms");
      expect(outcome.request).toMatchObject({ tls: { ca: "custom" } });
    } finally {
      await silent.close();
    }
  });
});
