// The one mask for a credential, wherever one would show: logs, recorded attempts, previews, the
// API (where sending it back keeps the stored value) and the console's forms. It imports nothing,
// so client components can use it as well as the server code that reaches it through lib/log.
export const redactedValue = "***";
