import { usccCheckCharacter, usccProblem } from '../src/domain/uscc';

describe('unified social credit code (GB 32100-2015)', () => {
  // Published codes of real employers: the check character is computed, not looked up.
  it.each(['91110000600037341L', '91350100M000100Y43', '91440300708461136T'])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeUndefined();
  });

  it('computes the check character from the first 17', () => {
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
  });

  it('names the rule a bad code breaks', () => {
    expect(usccProblem('9111000060003734')).toBe('length');
    expect(usccProblem('91110000600037341I')).toBe('alphabet');
    expect(usccProblem('91110000600037341M')).toBe('check-character');
  });
});
