// A TLS handshake that never finishes is retryable (the peer may be busy), unlike a certificate
// refusal: a silent peer on loopback that accepts TCP and never answers.
import { describe, expect, it } from "vitest";
import { sendAmqp } from "@/lib/destinations/amqp/send-amqp";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";
import { amqpContext } from "../../../support/broker-context";
import { startSilentServer } from "../../../support/silent-server";

describe("a TLS handshake that times out", () => {
  it("amqps: retryable, within timeoutMs, with the recorded TLS settings", async () => {
    const silent = await startSilentServer();
    try {
      const { ca } = await tlsMaterial();
      const started = performance.now();
      const outcome = await sendAmqp(amqpContext({ url: `amqps://localhost:${silent.port}`, exchange: "amq.topic", timeoutMs: 300, tls: { ca: ca.cert } }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.error).toMatch(/^(Timed out: connect timed out|Broker unreachable: connection timed out)/);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(outcome.request).toMatchObject({ tls: { ca: "custom" } });
    } finally {
      await silent.close();
    }
  });
});
