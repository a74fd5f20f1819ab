// An SNS message's signature, checked as AWS documents it ("Verifying the signatures of Amazon
// SNS messages"): the canonical string is `Name\nvalue\n` for a fixed list of fields in byte
// order, per message type; SignatureVersion 1 signs it with SHA1withRSA, 2 with SHA256withRSA,
// using the certificate at SigningCertURL, which must be https on an SNS host.
import { verify, type X509Certificate } from "node:crypto";
import { z } from "zod";
import { fetchSigningCertificate, snsUrl } from "@/lib/triggers/handshakes/sns-fetch";

export const snsMessageSchema = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1).max(256),
  TopicArn: z.string().min(1).max(1024),
  Message: z.string(),
  Timestamp: z.string().min(1).max(64),
  SignatureVersion: z.enum(["1", "2"]),
  Signature: z.string().min(1).max(4096),
  SigningCertURL: z.string().max(2048),
  Subject: z.string().optional(),
  Token: z.string().optional(),
  SubscribeURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
});

export type SnsMessage = z.infer<typeof snsMessageSchema>;

const notificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const confirmationFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

/** The string SNS signed; Subject only when the notification has one. */
export function snsStringToSign(message: SnsMessage): string {
  const fields = message.Type === "Notification" ? notificationFields : confirmationFields;
  return fields.map((name) => (message[name] === undefined ? "" : `${name}\n${message[name]}\n`)).join("");
}

/** Why the message is not genuinely from SNS, or undefined when its signature verifies. */
export async function snsSignatureProblem(message: SnsMessage, now = new Date()): Promise<string | undefined> {
  const certUrl = snsUrl(message.SigningCertURL, { pemPath: true });
  if (!certUrl) return "SigningCertURL must be an https .pem URL on sns.<region>.amazonaws.com";
  let certificate: X509Certificate;
  try {
    certificate = await fetchSigningCertificate(certUrl);
  } catch (error) {
    return `the signing certificate could not be read: ${error instanceof Error ? error.message : "unknown error"}`;
  }
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) return "the signing certificate is not valid now";
  const algorithm = message.SignatureVersion === "1" ? "sha1" : "sha256";
  const signature = Buffer.from(message.Signature, "base64");
  try {
    const genuine = verify(algorithm, Buffer.from(snsStringToSign(message), "utf8"), certificate.publicKey, signature);
    return genuine ? undefined : "the SNS message signature does not verify";
  } catch {
    // A key the algorithm cannot use, or a signature of the wrong shape.
    return "the SNS message signature does not verify";
  }
}
