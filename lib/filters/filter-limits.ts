// The caps that keep a filter cheap to check and to evaluate: each is enforced when the filter is
// parsed, except maxEvaluationSteps, which bounds one evaluation against a large request body.
export const filterLimits = {
  /** Objects and lists nested inside the filter, the filter itself being level 0. */
  maxDepth: 24,
  /** Every key, value and list item counts as one condition. */
  maxConditions: 256,
  maxArrayItems: 100,
  maxStringLength: 4096,
  /** The filter as JSON text. */
  maxFilterBytes: 32768,
  /** Values visited in one evaluation (a condition under a long list visits each element). */
  maxEvaluationSteps: 10_000,
} as const;
