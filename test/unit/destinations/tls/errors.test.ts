// tlsFailure() turns handshake and certificate errors into permanent verdicts that name the cause,
// and leaves everything else (network errors, timeouts, broker answers) to the other classifiers.
// The errors from a real peer are proved in test/integration/destinations/tls/tls-stand.test.ts;
// here: the shapes they come in, key errors node:tls raises itself, and what must not match.
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { tlsFailure } from "@/lib/destinations/tls/errors";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";

const material = await tlsMaterial();

const withCode = (code: string, message = "handshake failed") => Object.assign(new Error(message), { code });

function secureContextError(options: tls.SecureContextOptions): unknown {
  try {
    tls.createSecureContext(options);
  } catch (error) {
    return error;
  }
  throw new Error("createSecureContext accepted what the test expected it to refuse");
}

describe("tlsFailure", () => {
  it.each([
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", /^TLS: the server's certificate is not trusted \(unknown issuer\); set tls\.ca to the CA that issued it \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/],
    ["SELF_SIGNED_CERT_IN_CHAIN", /not trusted \(self-signed certificate in the chain\)/],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", /not trusted \(self-signed\)/],
    ["CERT_HAS_EXPIRED", /^TLS: the server's certificate has expired/],
    ["CERT_NOT_YET_VALID", /not valid yet/],
    ["ERR_TLS_CERT_ALTNAME_INVALID", /not for this host name; connect by the name it was issued for, or set tls\.servername/],
  ])("makes the verification code %s permanent, naming the cause", (code, message) => {
    expect(tlsFailure(withCode(code))).toEqual({ result: "permanent", error: expect.stringMatching(message) });
  });

  it("finds the code on a wrapped error's cause (senders wrap socket errors)", () => {
    const wrapped = new Error("connect failed", { cause: withCode("CERT_HAS_EXPIRED") });
    expect(tlsFailure(wrapped)?.error).toBe("TLS: the server's certificate has expired (CERT_HAS_EXPIRED)");
  });

  it.each([
    ["ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", "tlsv13 alert certificate required", /requires a client certificate; set tls\.cert and tls\.key/],
    ["ERR_SSL_TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca", /refused the client certificate \(its issuer is unknown to the server\)/],
    ["ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED", "sslv3 alert certificate expired", /refused the client certificate \(expired\)/],
    ["ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", "sslv3 alert bad certificate", /refused the client certificate/],
    ["ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "sslv3 alert handshake failure", /ended the TLS handshake/],
    ["ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL", "tlsv1 alert no application protocol", /none of the ALPN protocols in tls\.alpnProtocols/],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "ssl3_get_record:wrong version number", /does not speak TLS on this port/],
    ["ERR_SSL_PACKET_LENGTH_TOO_LONG", "ssl3_get_record:packet length too long", /does not speak TLS on this port/],
  ])("makes the alert %s permanent, naming the cause", (code, reason, message) => {
    const error = withCode(code, `80EC616B777F0000:error:0A000000:SSL routines:ssl3_read_bytes:${reason}:../ssl/record/rec_layer_s3.c:1601:`);
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(new RegExp(`^TLS: .*${message.source}.*\\(${code}\\)$`)) });
  });

  it("recognises an alert by its message alone, when a library dropped the code", () => {
    expect(tlsFailure(new Error("error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required"))?.error).toMatch(/requires a client certificate/);
  });

  it("makes a client key node:tls cannot use permanent: not the certificate's key, wrong passphrase, no passphrase, not a key", () => {
    const mismatch = secureContextError({ cert: material.client.cert, key: material.foreignClient.key });
    const wrongPassphrase = secureContextError({ cert: material.clientEncrypted.cert, key: material.clientEncrypted.key, passphrase: "not it" });
    const noPassphrase = secureContextError({ cert: material.clientEncrypted.cert, key: material.clientEncrypted.key });
    const notAKey = secureContextError({ cert: material.client.cert, key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" });
    for (const error of [mismatch, wrongPassphrase, noPassphrase, notAKey]) {
      expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the client key could not be used/) });
    }
  });

  it.each([
    ["a refused connection", withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:8883")],
    ["a reset before the handshake finished", withCode("ECONNRESET", "Client network socket disconnected before secure TLS connection was established")],
    ["a handshake that timed out", withCode("ETIMEDOUT", "TLS handshake timed out")],
    ["a DNS failure", withCode("ENOTFOUND", "getaddrinfo ENOTFOUND broker.example")],
    ["an HTTP request that timed out", new Error("HTTP request timed out after 10000 ms")],
    ["a broker refusing the sign-in", new Error("Connection refused: Not authorized")],
    ["an unexpected WebSocket answer", new Error("Unexpected server response: 502")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
  ])("leaves %s to the other classifiers", (_what, error) => {
    expect(tlsFailure(error)).toBeUndefined();
  });
});
