/** Chinese mainland mobile numbers: 11 digits starting with 1 (second digit 3–9). */
export function normaliseMobile(value: string): string | undefined {
  const digits = value.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}
