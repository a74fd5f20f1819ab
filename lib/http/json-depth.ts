// Nesting depth of parsed JSON, walked without recursion. JSON.parse accepts any depth, but
// JSON.stringify and structuredClone overflow the stack a few thousand levels down, so an
// operator-supplied sample is bounded before anything serialises it.
export const maxSampleDepth = 1_000;

/** True once `value` nests objects or arrays more than `limit` levels deep. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
