// Slack Events API: the request URL is verified with a signed `url_verification` event, answered
// with its challenge as text/plain (api.slack.com/events/url_verification).
import { z } from "zod";
import { jsonBodyAs } from "@/lib/triggers/json-body";
import { passOn, textAnswer, type HandshakePreset } from "@/lib/triggers/handshakes/types";

const urlVerificationSchema = z.object({ type: z.literal("url_verification"), challenge: z.string().min(1).max(1024) });

export const slackHandshake: HandshakePreset = {
  signed: true,
  check({ request, bodyBytes }) {
    if (request.method !== "POST") return passOn;
    const event = jsonBodyAs(urlVerificationSchema, bodyBytes);
    return event ? textAnswer(event.challenge) : passOn;
  },
};
