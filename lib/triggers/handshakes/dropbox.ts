// Dropbox: the verification `GET ?challenge=…` is echoed as text/plain with
// X-Content-Type-Options: nosniff (Dropbox asks for both, against reflected XSS).
import { passOn, textAnswer, type HandshakePreset } from "@/lib/triggers/handshakes/types";

export const dropboxHandshake: HandshakePreset = {
  signed: false,
  check({ request }) {
    const challenge = request.searchParams.get("challenge");
    return request.method === "GET" && challenge ? textAnswer(challenge) : passOn;
  },
};
