// Meta (Facebook, Instagram, WhatsApp): `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
// is answered with the challenge when the token matches the configured one, else 403. The GET is
// not signed: the verify token is its only proof.
import { safeEqual } from "@/lib/crypto/tokens";
import { AppError } from "@/lib/errors";
import { passOn, textAnswer, type HandshakePreset } from "@/lib/triggers/handshakes/types";

export const metaHandshake: HandshakePreset = {
  signed: false,
  secretQuery: ["hub.verify_token"],
  check({ request, secret }) {
    const query = request.searchParams;
    if (request.method !== "GET" || !query.has("hub.mode")) return passOn;
    const challenge = query.get("hub.challenge") ?? "";
    const token = query.get("hub.verify_token") ?? "";
    if (query.get("hub.mode") !== "subscribe" || challenge === "" || !safeEqual(token, secret())) {
      throw new AppError("forbidden", "hub.verify_token does not match this callback's verify token (or hub.mode is not subscribe)");
    }
    return textAnswer(challenge);
  },
};
