// TLS verdicts come first in the HTTP classifier: a refused certificate is permanent with the
// "TLS: …" reason, never "Network error" (which is retried).
import { describe, expect, it } from "vitest";
import { classifySendError } from "@/lib/destinations/http/send-http";
import { InsecureTlsRefusedError } from "@/lib/destinations/tls/options";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("classifySendError and TLS", () => {
  it.each([
    [withCode("self-signed certificate in certificate chain", "SELF_SIGNED_CERT_IN_CHAIN"), /^TLS: the server's certificate is not trusted \(self-signed certificate in the chain\)/],
    [withCode("certificate has expired", "CERT_HAS_EXPIRED"), /^TLS: the server's certificate has expired/],
    [withCode("tlsv1 alert unknown ca", "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA"), /^TLS: the server refused the client certificate/],
    [new InsecureTlsRefusedError(), /^TLS: tls\.insecureSkipVerify is refused in production/],
  ])("%s → permanent", (error, reason) => {
    const failure = classifySendError(error);
    expect(failure.result).toBe("permanent");
    expect(failure.error).toMatch(reason);
  });

  it("a refused connection stays a retryable network error", () => {
    expect(classifySendError(withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"))).toEqual({ result: "retryable", error: "Network error: connect ECONNREFUSED 127.0.0.1:1" });
  });
});
