// Zoom: a signed `endpoint.url_validation` event is answered with {plainToken, encryptedToken},
// encryptedToken being the hex HMAC-SHA256 of plainToken keyed with the app's secret token.
import { createHmac } from "node:crypto";
import { z } from "zod";
import { jsonBodyAs } from "@/lib/triggers/json-body";
import { jsonAnswer, passOn, type HandshakePreset } from "@/lib/triggers/handshakes/types";

const urlValidationSchema = z.object({ event: z.literal("endpoint.url_validation"), payload: z.object({ plainToken: z.string().min(1).max(1024) }) });

export const zoomHandshake: HandshakePreset = {
  signed: true,
  check({ request, bodyBytes, secret }) {
    if (request.method !== "POST") return passOn;
    const event = jsonBodyAs(urlValidationSchema, bodyBytes);
    if (!event) return passOn;
    const { plainToken } = event.payload;
    return jsonAnswer({ plainToken, encryptedToken: createHmac("sha256", secret()).update(plainToken).digest("hex") });
  },
};
