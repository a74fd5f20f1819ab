// The managed services a destination can be preset for (lib/destinations/presets/presets.ts holds what
// each preset fills in and refuses). Kept apart so the config schemas can name them without
// importing the presets' rules.
import { z } from "zod";

export const presetNames = ["aws_iot_core", "azure_iot_hub", "hivemq_cloud", "emqx_cloud", "cloudamqp"] as const;

export type PresetName = (typeof presetNames)[number];

/** `config.preset`: which managed service this destination talks to; its rules are checked at save. */
export const presetNameSchema = z.enum(presetNames);
