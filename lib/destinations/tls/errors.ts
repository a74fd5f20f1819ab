// TLS handshake failures as delivery verdicts, for every transport (HTTPS, mqtts, wss, amqps).
// A certificate the client cannot trust, a name that does not match, or a client certificate the
// server refuses will fail the same way on every retry: permanent, with a reason that says which
// and what to change. A handshake that merely did not finish in time stays retryable (it reaches
// the senders as their deadline error, not here).
export interface TlsFailure {
  result: "permanent";
  error: string;
}

const untrusted = "the server's certificate is not trusted";
const checkCa = "set tls.ca to the CA that issued it";

/** OpenSSL/Node codes on the client's own verification of the server. */
const verifyCodes: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `${untrusted} (unknown issuer); ${checkCa}`,
  UNABLE_TO_GET_ISSUER_CERT: `${untrusted} (issuer not found); ${checkCa}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `${untrusted} (issuer not found); ${checkCa}`,
  SELF_SIGNED_CERT_IN_CHAIN: `${untrusted} (self-signed certificate in the chain); ${checkCa}`,
  DEPTH_ZERO_SELF_SIGNED_CERT: `${untrusted} (self-signed); ${checkCa}`,
  CERT_SIGNATURE_FAILURE: `${untrusted} (bad signature); ${checkCa}`,
  CERT_UNTRUSTED: `${untrusted}; ${checkCa}`,
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  CERT_REVOKED: "the server's certificate is revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is not for this host name; connect by the name it was issued for, or set tls.servername",
  HOSTNAME_MISMATCH: "the server's certificate is not for this host name; connect by the name it was issued for, or set tls.servername",
};

/** Alerts the server sent about the client certificate (missing, unknown CA, expired, refused). */
const clientCertificateAlerts: Array<[RegExp, string]> = [
  [/CERTIFICATE_REQUIRED/, "the server requires a client certificate; set tls.cert and tls.key"],
  [/ALERT_UNKNOWN_CA/, "the server refused the client certificate (its issuer is unknown to the server)"],
  [/ALERT_CERTIFICATE_EXPIRED/, "the server refused the client certificate (expired)"],
  [/ALERT_CERTIFICATE_REVOKED/, "the server refused the client certificate (revoked)"],
  [/ALERT_BAD_CERTIFICATE|ALERT_UNSUPPORTED_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN/, "the server refused the client certificate"],
  [/ALERT_ACCESS_DENIED/, "the server refused access to this client certificate"],
  [/ALERT_HANDSHAKE_FAILURE/, "the server ended the TLS handshake (often: a client certificate is required, or no cipher or protocol in common)"],
  [/ALERT_NO_APPLICATION_PROTOCOL/, "the server accepts none of the ALPN protocols in tls.alpnProtocols"],
  // OpenSSL reasons only (code ERR_SSL_… or ":reason"), so "HTTP request timed out" is no match.
  [/(?:ERR_SSL_|:)(?:WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST)\b/, "the server does not speak TLS on this port (a plain-text listener?); check the URL's scheme and port"],
  // DECODER_ROUTINES::UNSUPPORTED is node:tls on a key it cannot decode at all.
  [
    /BAD_DECRYPT|INTERRUPTED_OR_CANCELLED|ERR_OSSL_PEM|ERR_OSSL_EVP|KEY_VALUES_MISMATCH|DECODER_ROUTINES::UNSUPPORTED/,
    "the client key could not be used (wrong or missing passphrase, not the certificate's key, or not a key)",
  ],
];

function codeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A permanent "TLS: …" failure for a handshake or certificate error, else undefined. */
export function tlsFailure(error: unknown): TlsFailure | undefined {
  const code = codeOf(error);
  if (code && verifyCodes[code]) return { result: "permanent", error: `TLS: ${verifyCodes[code]} (${code})` };
  const text = `${code ?? ""} ${messageOf(error)}`.toUpperCase().replace(/[\s-]+/g, "_");
  const alert = clientCertificateAlerts.find(([pattern]) => pattern.test(text));
  if (alert) return { result: "permanent", error: `TLS: ${alert[1]} (${code ?? messageOf(error)})` };
  return undefined;
}
