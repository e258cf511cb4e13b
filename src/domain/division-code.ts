/**
 * Administrative division codes, GB/T 2260: 6 digits for province, city and district (省 PP0000, 市 PPCC00,
 * 区 PPCCDD); streets and townships extend a district code to 9 digits, communities to 12.
 */
export type DivisionLevel = 'PROVINCE' | 'CITY' | 'DISTRICT' | 'STREET' | 'COMMUNITY';

export function divisionLevel(code: string): DivisionLevel | undefined {
  if (/^\d{12}$/.test(code)) return 'COMMUNITY';
  if (/^\d{9}$/.test(code)) return 'STREET';
  if (!/^\d{6}$/.test(code) || code.startsWith('00')) return undefined;
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'CITY';
  return 'DISTRICT';
}

/** The district-level (6-digit) code a division belongs to; the case number starts with it. */
export function districtOf(code: string): string {
  return code.slice(0, 6);
}
