// The presets the destination form offers: the presets' own list (defaults and rules per kind),
// the same one GET /api/destinations/presets answers with.
import { listPresets } from "@/lib/destinations/presets/presets";
import type { PresetChoice } from "@/lib/ui/preset-form";

export function presetChoices(): PresetChoice[] {
  return listPresets();
}
