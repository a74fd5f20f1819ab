// One line per handshake preset for the callback form: where the trigger URL goes in that
// provider's console, and what its secret is. Pure, so a unit test holds every preset to a note.
import type { HandshakeType } from "@/lib/callbacks/handshake";

export interface HandshakeNote {
  /** Where to paste the trigger URL. */
  paste: string;
  /** What the preset's secret is, for the presets that have one. */
  secret?: string;
  /** The method the verification request uses, which the callback must accept. */
  method: "GET" | "POST";
}

export const handshakeNotes: Record<HandshakeType, HandshakeNote> = {
  slack: {
    paste: "Slack app settings → Event Subscriptions → Request URL. Also set Inbound auth to slack with the app's Signing Secret: Slack signs the verification.",
    method: "POST",
  },
  meta: {
    paste: "Meta App Dashboard → Webhooks (WhatsApp: Configuration) → Callback URL; type the same verify token there. Inbound auth meta takes the App Secret.",
    secret: "The verify token you type in Meta's dashboard.",
    method: "GET",
  },
  zoom: {
    paste: "Zoom App Marketplace → your app → Features → Event Subscriptions → Event notification endpoint URL, then Validate. Inbound auth zoom takes the same Secret Token.",
    secret: "The app's Secret Token.",
    method: "POST",
  },
  x: {
    paste: "X developer portal → your app → webhook URL for the Account Activity API (the CRC check runs when you register it and hourly).",
    secret: "The app's API Key Secret (consumer secret).",
    method: "GET",
  },
  microsoft_graph: { paste: "Microsoft Graph: the trigger URL is the notificationUrl of the subscription you create (POST /subscriptions).", method: "POST" },
  dropbox: { paste: "Dropbox App Console → your app → Settings → Webhooks → Webhook URIs → Add.", method: "GET" },
  sns: { paste: "AWS SNS console → Topics → your topic → Create subscription → Protocol HTTPS, Endpoint: the trigger URL. The confirmation is answered here.", method: "POST" },
};

export function handshakeNoteFor(type: string): HandshakeNote | undefined {
  return Object.hasOwn(handshakeNotes, type) ? handshakeNotes[type as HandshakeType] : undefined;
}
