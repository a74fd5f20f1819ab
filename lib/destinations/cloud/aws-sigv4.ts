// One AWS Signature Version 4 signer for every destination that speaks to AWS: HTTP destinations
// (IoT Core's HTTPS publish, API Gateway with IAM, Lambda function URLs) sign each request with
// it, and MQTT over WebSocket presigns the AWS IoT connect URL. The signing itself is AWS's
// maintained implementation; this only fixes how Switchyard builds it.
import type { SignatureV4 } from "@smithy/signature-v4";

export interface AwsSignerOptions {
  /** e.g. "us-east-1". */
  region: string;
  /** The signing name: "iotdevicegateway", "execute-api", "lambda", "iotdata", … */
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary (STS) credentials. */
  sessionToken?: string;
}

/**
 * Loaded on first use: most functions never sign for AWS, and the SDK's signer costs every
 * process that loads it ~1.6 MB of heap and ~10 MB of RSS.
 */
const loadSigner = async () => {
  const [{ Hash }, { SignatureV4 }] = await Promise.all([import("@smithy/core/serde"), import("@smithy/signature-v4")]);
  return { SignatureV4, Hash };
};

/** A SigV4 signer for one set of credentials, region and service. */
export async function awsSigner({ region, service, accessKeyId, secretAccessKey, sessionToken }: AwsSignerOptions): Promise<SignatureV4> {
  const { SignatureV4, Hash } = await loadSigner();
  // SHA-256 (and its HMAC) from node:crypto, as the AWS SDK's Node runtime uses; the pure-JS one took ~3 ms per signature.
  const sha256 = Hash.bind(null, "sha256");
  return new SignatureV4({
    region,
    service,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    sha256,
    // Every AWS service but S3 escapes the path once more when canonicalising it, and only S3
    // wants the x-amz-content-sha256 header: the others sign the payload hash without sending it.
    uriEscapePath: true,
    applyChecksum: false,
  });
}
