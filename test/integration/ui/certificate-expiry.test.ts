// The overview's expiring-certificates list against PostgreSQL with the TLS stand's certificates:
// expired and soon-expiring client certificates are listed soonest first with their callback,
// a long-lived one and a destination without TLS are not. The rows are written directly: the
// API refuses to save an expired certificate, but one saved while valid expires in place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackCreateSchema } from "@/lib/callbacks/callback-input";
import { createCallback, deleteCallback } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import { insertDestination } from "@/lib/db/queries/destinations";
import { uuidv7 } from "@/lib/ids";
import { loadExpiringCertificates, type ExpiringCertificate } from "@/lib/ui/certificate-expiry";
import { closeDb } from "../../support/close-db";
import { tlsMaterial, type KeyPair } from "../../support/tls-stand";

const dayMs = 86_400_000;
let callbackId = "";
const ids: Record<string, string> = {};

async function addDestination(name: string, pair: KeyPair | undefined): Promise<void> {
  const tls = pair ? { tls: { cert: pair.cert, insecureSkipVerify: false } } : {};
  const row = await insertDestination(getDb(), {
    id: uuidv7(),
    callback_id: callbackId,
    kind: "mqtt",
    name,
    config: JSON.stringify({ url: "mqtts://broker.example:8883", topic: "t", ...tls }),
    secrets_enc: null,
  });
  ids[name] = row.id;
}

beforeAll(async () => {
  const material = await tlsMaterial();
  callbackId = (await createCallback(getDb(), callbackCreateSchema.parse({ name: "certificate expiry", destinations: [] }))).id;
  await addDestination("long-lived", material.client);
  await addDestination("soon", material.soonClient);
  await addDestination("expired", material.expiredClient);
  await addDestination("plain", undefined);
}, 60_000);

afterAll(async () => {
  if (callbackId) await deleteCallback(getDb(), callbackId);
  await closeDb();
});

const mine = (items: ExpiringCertificate[]): ExpiringCertificate[] => items.filter((item) => item.callbackId === callbackId);

describe("loadExpiringCertificates", () => {
  it("lists the expired and the soon-expiring client certificate, soonest first, with the callback to link to", async () => {
    const items = mine(await loadExpiringCertificates(getDb()));
    expect(items.map((item) => [item.destinationName, item.warning])).toEqual([
      ["expired", "expired"],
      ["soon", "expiring"],
    ]);
    expect(items[0]).toMatchObject({ destinationId: ids.expired, callbackName: "certificate expiry", kind: "mqtt", enabled: true });
    expect(items[0]?.expiry).toMatch(/^expired (today|\d+ days? ago)$/);
    expect(items[1]?.subject).toContain("switchyard-soon-client");
    expect(items[1]?.expiry).toMatch(/^expires in (9|10) days$/);
  });

  it("lists the long-lived certificate too once it is within 30 days of its end", async () => {
    const now = Date.now();
    const [longLived] = mine(await loadExpiringCertificates(getDb(), now)).filter((item) => item.destinationId === ids["long-lived"]);
    expect(longLived).toBeUndefined();
    const all = mine(await loadExpiringCertificates(getDb(), now + 340 * dayMs));
    expect(all.find((item) => item.destinationId === ids["long-lived"])).toMatchObject({ warning: "expiring" });
    expect(all.some((item) => item.destinationName === "plain")).toBe(false);
  });
});
