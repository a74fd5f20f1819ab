// AWS IoT Core over MQTT-over-WebSocket: the connect URL carries a SigV4 query signature (service
// iotdevicegateway), made afresh for each connection by the maintained signer (awsSigner). AWS
// IoT's own rule for temporary credentials: X-Amz-Security-Token is NOT part of the signed
// canonical query; it is appended after signing (docs.aws.amazon.com/iot/latest/developerguide/
// iam-users-groups-roles.html). So the signer gets the key pair alone and the token comes last.
import { awsSigner } from "@/lib/destinations/cloud/aws-sigv4";

export const awsIotSigningService = "iotdevicegateway";

/** Where AWS IoT Core serves MQTT over WebSocket. */
export const awsIotWebSocketPath = "/mqtt";

/** The URL is used at once; a short life limits what a leaked one could do. */
const presignedLifetimeSeconds = 300;

export interface AwsIotCredentials {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `url` (wss://endpoint[:port]/mqtt) with the SigV4 query parameters added; the host signed is
 * the one the WebSocket request's Host header will carry (with a non-default port).
 */
export async function presignAwsIotUrl(url: URL, credentials: AwsIotCredentials, now = new Date()): Promise<URL> {
  const { region, accessKeyId, secretAccessKey, sessionToken } = credentials;
  const signer = await awsSigner({ region, service: awsIotSigningService, accessKeyId, secretAccessKey });
  const presigned = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      // Any query the endpoint URL already carries is signed along.
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host },
    },
    { signingDate: now, expiresIn: presignedLifetimeSeconds },
  );
  const query = Object.entries(presigned.query ?? {}).flatMap(([name, value]) => (typeof value === "string" ? [`${encode(name)}=${encode(value)}`] : []));
  if (sessionToken) query.push(`X-Amz-Security-Token=${encode(sessionToken)}`);
  const signed = new URL(url);
  signed.search = `?${query.join("&")}`;
  return signed;
}
