// TLS verdicts come first in the AMQP classifier: a refused certificate must never read as a
// network error or a lost connection (and so never be retried).
import { describe, expect, it } from "vitest";
import { classifyAmqpError } from "@/lib/destinations/amqp/errors";
import type { AmqpMessage } from "@/lib/destinations/amqp/message";
import { InsecureTlsRefusedError } from "@/lib/destinations/tls/options";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const message = { exchange: "", routingKey: "q" } as AmqpMessage;

describe("classifyAmqpError and TLS", () => {
  it.each([
    [withCode("unable to verify the first certificate", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"), /^TLS: the server's certificate is not trusted \(unknown issuer\)/],
    [withCode("Hostname/IP does not match certificate's altnames", "ERR_TLS_CERT_ALTNAME_INVALID"), /^TLS: the server's certificate is not for this host name/],
    [withCode("tlsv13 alert certificate required", "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"), /^TLS: the server requires a client certificate/],
    [withCode("C0B7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number", "ERR_SSL_WRONG_VERSION_NUMBER"), /^TLS: the server does not speak TLS on this port/],
    [new InsecureTlsRefusedError(), /^TLS: tls\.insecureSkipVerify is refused in production/],
  ])("%s → permanent", (error, reason) => {
    const failure = classifyAmqpError(error, "connect", message);
    expect(failure.result).toBe("permanent");
    expect(failure.error).toMatch(reason);
  });

  it("a plain reset stays a retryable network failure", () => {
    expect(classifyAmqpError(withCode("read ECONNRESET", "ECONNRESET"), "connect", message).result).toBe("retryable");
  });
});
