/** A consent signal that cannot be read: a bad field, or a TC/GPP string that does not decode. */
export class SignalError extends Error {
  override readonly name = "SignalError";
  readonly issues: string[];

  constructor(issues: string[]) {
    super(issues.join("; "));
    this.issues = issues;
  }
}

/** Library messages can embed the whole (multi-KB) input string; keep them readable. */
export function describeCause(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}
