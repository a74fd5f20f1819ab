// X (Twitter) Account Activity: the CRC `GET ?crc_token=…` is answered with
// {response_token: "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token))}. The GET carries
// no signature; the answer itself proves the secret, so nothing here can be refused.
import { createHmac } from "node:crypto";
import { jsonAnswer, passOn, type HandshakePreset } from "@/lib/triggers/handshakes/types";

export const xHandshake: HandshakePreset = {
  signed: false,
  check({ request, secret }) {
    const token = request.searchParams.get("crc_token");
    if (request.method !== "GET" || !token) return passOn;
    return jsonAnswer({ response_token: `sha256=${createHmac("sha256", secret()).update(token).digest("base64")}` });
  },
};
