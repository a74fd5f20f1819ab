// The sns handshake end to end, with the message examples of AWS's "HTTP/HTTPS ... JSON format"
// pages signed by a local stand-in for sns.us-west-2.amazonaws.com (its certificate issued by a
// throwaway CA, the host mapped to 127.0.0.1 for this test only): a SubscriptionConfirmation is
// confirmed by visiting its SubscribeURL, a Notification is delivered with {body.Message}, an
// UnsubscribeConfirmation is recorded, and a bad signature or certificate URL is a 401.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeSnsForTest } from "@/lib/triggers/handshakes/sns-fetch";
import { createCallback, httpDestination, listDeliveries, waitForDelivery, type CreatedCallback } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { useSink } from "../../../support/sink";
import { signingCertPath, snsHost, startSnsStand, type SnsStand } from "../../../support/sns-stand";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();
const sink = useSink();
let stand: SnsStand;
let callback: CreatedCallback;

const topic = "arn:aws:sns:us-west-2:123456789012:MyTopic";
const token =
  "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736";
const certUrl = `https://${snsHost}${signingCertPath}`;
const subscribeUrl = `https://${snsHost}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`;

const confirmation = {
  Type: "SubscriptionConfirmation",
  MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  Token: token,
  TopicArn: topic,
  Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: subscribeUrl,
  Timestamp: "2012-04-26T20:45:04.751Z",
  SignatureVersion: "1",
  SigningCertURL: certUrl,
};

const notification = {
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: topic,
  Subject: "My First Message",
  Message: "Hello world!",
  Timestamp: "2012-05-02T00:54:06.655Z",
  SignatureVersion: "2",
  SigningCertURL: certUrl,
  UnsubscribeURL: `https://${snsHost}/?Action=Unsubscribe&SubscriptionArn=${topic}:c9135db0-26c4-47ec-8998-413945fb5a96`,
};

const unsubscribed = {
  Type: "UnsubscribeConfirmation",
  MessageId: "47138184-6831-46b8-8f7c-afc488602d7d",
  Token: token,
  TopicArn: topic,
  Message: `You have chosen to deactivate subscription ${topic}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: subscribeUrl,
  Timestamp: "2012-04-26T20:06:41.581Z",
  SignatureVersion: "1",
  SigningCertURL: certUrl,
};

// SNS posts text/plain with its message type in a header.
const post = (message: Record<string, string>) =>
  fetch(callback.triggerUrl, { method: "POST", headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": message.Type ?? "" }, body: JSON.stringify(message) });

const handshakeEvents = () => app.db.selectFrom("events").select(["kind", "body"]).where("callback_id", "=", callback.id).where("kind", "=", "handshake").execute();

beforeAll(async () => {
  stand = await startSnsStand();
  routeSnsForTest({ address: "127.0.0.1", port: stand.port, ca: stand.ca });
  callback = await createCallback(app.url, { name: "sns", handshake: { type: "sns" }, destinations: [httpDestination(`${sink.url}/sns`, { bodyType: "text", body: "{body.Message}" })] });
});

afterAll(async () => {
  routeSnsForTest(undefined);
  await stand.close();
});

describe("sns", () => {
  it("confirms a SubscriptionConfirmation (SignatureVersion 1) by visiting its SubscribeURL, and records it", async () => {
    const response = await post(stand.sign(confirmation));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(stand.requests).toContain(`/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`);
    expect(await handshakeEvents()).toEqual([{ kind: "handshake", body: JSON.stringify(stand.sign(confirmation)) }]);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(0);
  });

  it("delivers a Notification (SignatureVersion 2) with its Message at {body.Message}; SNS's retry of it is the same event", async () => {
    const signed = stand.sign(notification);
    const first = await fireTrigger(callback.triggerUrl, { raw: JSON.stringify(signed), headers: { "content-type": "text/plain; charset=UTF-8" } });
    expect(first.status, first.text).toBe(202);
    await waitForDelivery(app.url, onlyDelivery(first), ["succeeded"]);
    expect(sink.requests.filter((request) => request.path === "/sns").map((request) => request.body)).toEqual(["Hello world!"]);
    const retried = await fireTrigger(callback.triggerUrl, { raw: JSON.stringify(signed) });
    expect(retried.eventId).toBe(first.eventId);
  });

  it("records an UnsubscribeConfirmation without visiting anything", async () => {
    const visits = stand.requests.length;
    const response = await post(stand.sign(unsubscribed));
    expect(response.status).toBe(200);
    expect(stand.requests.length).toBe(visits);
    expect((await handshakeEvents()).length).toBe(2);
  });

  it("fetched the signing certificate once and cached it", () => {
    expect(stand.requests.filter((request) => request === signingCertPath)).toHaveLength(1);
  });

  it.each([
    ["a tampered Message", () => ({ ...stand.sign(notification), Message: "Hello world?" }), "does not verify"],
    ["a signature made for SignatureVersion 1 but declared 2", () => ({ ...stand.sign({ ...notification, SignatureVersion: "1" }), SignatureVersion: "2" }), "does not verify"],
    ["a certificate on another host", () => stand.sign({ ...notification, SigningCertURL: `https://${snsHost}.evil.example${signingCertPath}` }), "SigningCertURL"],
    ["a certificate over http", () => stand.sign({ ...notification, SigningCertURL: `http://${snsHost}${signingCertPath}` }), "SigningCertURL"],
    ["a certificate URL with a port", () => stand.sign({ ...notification, SigningCertURL: `https://${snsHost}:8443${signingCertPath}` }), "SigningCertURL"],
    ["a body that is not an SNS message", () => ({ hello: "world" }), "Not a signed SNS message"],
  ])("refuses %s with 401 and records nothing", async (_label, message, reason) => {
    const before = { events: (await handshakeEvents()).length, deliveries: (await listDeliveries(app.url, `callbackId=${callback.id}`)).length, visits: stand.requests.length };
    const response = await post(message());
    expect(response.status).toBe(401);
    expect(await response.text()).toContain(reason);
    expect((await handshakeEvents()).length).toBe(before.events);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(before.deliveries);
    expect(stand.requests.length).toBe(before.visits);
  });

  it("refuses a signed confirmation whose SubscribeURL leaves the SNS host, visiting nothing", async () => {
    const visits = stand.requests.length;
    const response = await post(stand.sign({ ...confirmation, SubscribeURL: "https://example.com/?Action=ConfirmSubscription" }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("SubscribeURL");
    expect(stand.requests.length).toBe(visits);
  });
});
