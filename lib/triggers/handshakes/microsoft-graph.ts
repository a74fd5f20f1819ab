// Microsoft Graph change notifications: a subscription is validated by a POST with
// `?validationToken=…`, which must be echoed (decoded) as text/plain with 200 within 10 s.
import { passOn, textAnswer, type HandshakePreset } from "@/lib/triggers/handshakes/types";

export const microsoftGraphHandshake: HandshakePreset = {
  signed: false,
  check({ request }) {
    const token = request.searchParams.get("validationToken");
    return token ? textAnswer(token) : passOn;
  },
};
