// Follows the client→server PostgreSQL byte stream just far enough to spot the Terminate message
// ('X' 00 00 00 04). The Neon driver does not close its WebSocket after sending it, so without
// this the proxy and PostgreSQL would keep the session open and `pool.end()` would hang.

export interface TerminateDetector {
  /** Feed client bytes; true once a complete Terminate message has passed. */
  clientData(chunk: Buffer): boolean;
  /** Feed server bytes; only the answer to an SSL/GSS request matters. */
  serverData(chunk: Buffer): void;
}

type Phase = "startup" | "messages" | "awaiting-encryption-answer" | "opaque";

const sslRequestCode = 80_877_103;
const gssEncRequestCode = 80_877_104;
const protocolMajor3 = 3;
const terminateType = 0x58; // 'X'

export function createTerminateDetector(): TerminateDetector {
  let phase: Phase = "startup";
  let header = Buffer.alloc(0);
  let skip = 0;

  /** Returns true when the header just read completes a Terminate message. */
  const onHeader = (bytes: Buffer): boolean => {
    if (phase === "startup") {
      const length = bytes.readInt32BE(0);
      const code = bytes.readInt32BE(4);
      skip = length - 8;
      if (code === sslRequestCode || code === gssEncRequestCode) phase = "awaiting-encryption-answer";
      else if (code >>> 16 === protocolMajor3) phase = "messages";
      if (length < 8) phase = "opaque";
      return false;
    }
    const length = bytes.readInt32BE(1);
    skip = length - 4;
    if (length < 4) phase = "opaque";
    return bytes[0] === terminateType && length === 4;
  };

  const following = (): boolean => phase === "startup" || phase === "messages";

  return {
    clientData(chunk) {
      let offset = 0;
      while (offset < chunk.length && following()) {
        if (skip > 0) {
          const skipped = Math.min(skip, chunk.length - offset);
          skip -= skipped;
          offset += skipped;
          continue;
        }
        const headerSize = phase === "startup" ? 8 : 5;
        const taken = chunk.subarray(offset, offset + headerSize - header.length);
        offset += taken.length;
        header = Buffer.concat([header, taken]);
        if (header.length < headerSize) break;
        const complete = header;
        header = Buffer.alloc(0);
        if (onHeader(complete)) return true;
      }
      // Bytes sent before the server answered an SSL request can only be a TLS handshake.
      if (phase === "awaiting-encryption-answer" && offset < chunk.length) phase = "opaque";
      return false;
    },
    serverData(chunk) {
      if (phase !== "awaiting-encryption-answer" || chunk.length === 0) return;
      // 'N' keeps the session in plain text (a normal startup follows); anything else encrypts it.
      phase = chunk[0] === 0x4e ? "startup" : "opaque";
    },
  };
}
