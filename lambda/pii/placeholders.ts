/**
 * Placeholders stand in for redacted values: `[EMAIL_1]`, `[API_KEY_2]`, `[EMPLOYEE_ID_1]`. Typed, so the
 * model still knows what kind of value was there; numbered per type within one request, so the same
 * value is always the same placeholder and two values never share one.
 */

/** The longest placeholder the gateway writes: labels are cut to leave room for the number. */
const MAX_PLACEHOLDER_LENGTH = 64;

/** The label of a type: `api_key` → `API_KEY`, a custom `employee-id` → `EMPLOYEE_ID`. */
export function placeholderLabel(type: string): string {
  const label = type.toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, MAX_PLACEHOLDER_LENGTH - 10);
  return /^[A-Z]/.test(label) ? label : `X${label}`;
}

export function placeholderText(type: string, index: number): string {
  return `[${placeholderLabel(type)}_${index}]`;
}
