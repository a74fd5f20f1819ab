// Defaults that both the save path and the trigger hot path need, kept apart from the schemas
// so the trigger route does not load every destination config schema.

/** Deliveries of one destination in flight at once (QStash flow control parallelism). */
export const defaultMaxConcurrency = 8;
