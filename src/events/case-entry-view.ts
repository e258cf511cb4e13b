import type { Actor } from '../core/execution-context';
import { mask, seesPersonalData } from '../policy/personal-data';

/** Payload keys that carry a person's name, mobile or ID number, and how each is masked. */
const PERSONAL: Record<string, (v: string) => string> = {
  complainantName: mask.name,
  personName: mask.name,
  mobile: mask.mobile,
  contactPhone: mask.mobile,
  phone: mask.mobile,
  residentId: mask.residentId,
  complainantResidentId: mask.residentId,
};

/**
 * What a caller is shown of a case-file entry's payload: the same function for the case read, the event feed and
 * the webhook body, so no path shows more than another. Personal data is whole for labour inspection only
 * (DOMAIN.md §3); no entry written today carries any, and one that does later is masked for everyone else.
 */
export function entryPayloadFor(actor: Pick<Actor, 'agencyKind'> | undefined, payload: Record<string, unknown>): Record<string, unknown> {
  if (seesPersonalData(actor as Actor | undefined)) return payload;
  return maskValue(payload) as Record<string, unknown>;
}

function maskValue(v: unknown, key?: string): unknown {
  if (typeof v === 'string') return key && PERSONAL[key] ? PERSONAL[key](v) : v;
  if (Array.isArray(v)) return v.map((x) => maskValue(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValue(x, k)]));
  return v;
}
