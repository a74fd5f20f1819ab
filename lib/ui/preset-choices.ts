// The presets the destination form offers. Until the presets' own list (with defaults and rules)
// is available, every preset name is offered for every kind: the save-time check refuses a kind
// a preset does not cover.
import { destinationKindNames } from "@/lib/destinations/kinds";
import { presetNames } from "@/lib/destinations/preset-names";
import type { PresetChoice } from "@/lib/ui/preset-form";

export function presetChoices(): PresetChoice[] {
  return presetNames.map((id) => ({ id, label: id, description: "", docsUrl: "", kinds: [...destinationKindNames], defaults: {}, rules: {} }));
}
