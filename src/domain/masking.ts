/**
 * Masked forms of personal data for agencies that must not see it whole (DOMAIN.md §3):
 * 张三 → 张*, 13812341234 → 138****1234, 110101199003071234 → 110***********1234.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '*'.repeat(mobile.length);
}

export function maskResidentId(id: string): string {
  return id.length === 18 ? `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(14)}` : '*'.repeat(id.length);
}
