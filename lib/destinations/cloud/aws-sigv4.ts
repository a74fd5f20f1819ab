// One AWS Signature Version 4 signer for every destination that speaks to AWS: HTTP destinations
// (IoT Core's HTTPS publish, API Gateway with IAM, Lambda function URLs) sign each request with
// it, and MQTT over WebSocket presigns the AWS IoT connect URL. The signing itself is AWS's
// maintained implementation; this only fixes how Switchyard builds it.
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";

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

/** SHA-256 (and its HMAC) from node:crypto, as the AWS SDK's Node runtime uses; the pure-JS one took ~3 ms per signature. */
const sha256 = Hash.bind(null, "sha256");

/** A SigV4 signer for one set of credentials, region and service. */
export function awsSigner({ region, service, accessKeyId, secretAccessKey, sessionToken }: AwsSignerOptions): SignatureV4 {
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
