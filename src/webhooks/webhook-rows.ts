/** Rows of the webhook tables as read by raw SQL (the driver may hand a timestamp back as a string). */
export interface WebhookAttemptRow {
  id: string;
  delivery_id: string;
  at: Date;
  status_code: number | null;
  error: string | null;
}

/** A timestamp column as a Date, whatever form the driver gave it in. */
export function toDate(v: Date | string): Date;
export function toDate(v: Date | string | null): Date | null;
export function toDate(v: Date | string | null): Date | null {
  return v === null ? null : v instanceof Date ? v : new Date(v);
}
