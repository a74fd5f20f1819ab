// The README's destination examples (TLS, cloud sign-in, presets) are real: every JSON block that
// is a destination passes the input schema and its preset's rules, each "is stored with" block is
// what the API shows after the save, and each quoted refusal is the message a save gives.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { destinationInputSchema, type DestinationInput } from "@/lib/destinations/destination-input";
import { kindDefinition } from "@/lib/destinations/kinds";
import { checkPresetRules } from "@/lib/destinations/presets/presets";
import { maskSecrets, splitSecrets } from "@/lib/destinations/secret-fields";
import { AppError } from "@/lib/errors";

const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");

interface Block {
  json: Record<string, unknown>;
  /** README text between the previous block and this one. */
  before: string;
}

function jsonBlocks(): Block[] {
  const blocks: Block[] = [];
  let last = 0;
  for (const match of readme.matchAll(/```json\n([\s\S]*?)\n```/g)) {
    blocks.push({ json: JSON.parse(match[1] ?? "") as Record<string, unknown>, before: readme.slice(last, match.index) });
    last = (match.index ?? 0) + match[0].length;
  }
  return blocks;
}

const isDestination = (json: Record<string, unknown>) => typeof json.kind === "string" && typeof json.config === "object";

function save(input: unknown): DestinationInput {
  const parsed = destinationInputSchema.parse(input);
  checkPresetRules(parsed.kind, parsed.config);
  return parsed;
}

/** The config as GET /api/destinations/:id shows it: credentials as ***. */
function shown(input: DestinationInput): Record<string, unknown> {
  const fields = kindDefinition(input.kind).secretFields;
  const { publicConfig, secrets } = splitSecrets(input.config, fields);
  return maskSecrets(publicConfig, fields, Object.keys(secrets));
}

function refusal(input: Record<string, unknown>, change: Record<string, unknown>): string {
  try {
    save({ ...input, config: { ...(input.config as Record<string, unknown>), ...change } });
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  throw new Error("saved, expected a refusal");
}

const flat = (text: string) => text.replace(/\s+/g, " ");
/** A block the README introduces with "is stored with:" (or "is stored with (…):"). */
const isStoredBlock = (block: Block | undefined) => block !== undefined && /is stored with[^\n]*:\s*$/.test(block.before);
const blocks = jsonBlocks();
const destinations = blocks.filter((block) => isDestination(block.json));
const presetExample = (preset: string) => destinations.find((block) => (block.json.config as Record<string, unknown>).preset === preset)?.json ?? {};

describe("README destination examples", () => {
  it("has the TLS, cloud sign-in and preset examples", () => {
    expect(destinations.length).toBeGreaterThanOrEqual(12);
    expect(blocks.filter(isStoredBlock).length).toBe(6);
  });

  it.each(destinations.map((block) => [String(block.json.name), block.json]))("%s passes the schema and its preset's rules", (_name, json) => {
    expect(() => save(json)).not.toThrow();
  });

  it.each(blocks.flatMap((block, index) => (isStoredBlock(block) ? [[String(blocks[index - 1]?.json.name), index] as const] : [])))("%s is stored as the README says", (_name, index) => {
    const input = blocks[index - 1]?.json;
    expect(input && isDestination(input)).toBe(true);
    expect(shown(save(input))).toMatchObject(blocks[index]?.json ?? {});
  });

  it("quotes the refusals a save gives", () => {
    for (const message of [refusal(presetExample("aws_iot_core"), { qos: 2 }), refusal(presetExample("azure_iot_hub"), { topic: "telemetry/pump-7" })]) {
      expect(flat(readme).includes(flat(message)), `the README quotes "${message}"`).toBe(true);
    }
  });
});
