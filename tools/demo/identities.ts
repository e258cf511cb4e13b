import { residentIdCheckCharacter } from '../../src/domain/resident-id';
import { usccCheckCharacter } from '../../src/domain/uscc';
import type { Random } from './random';

/**
 * Made-up but well-formed identities for demo data: Chinese names, mainland mobiles, resident ID numbers and
 * unified social credit codes whose check characters are computed by the same domain functions the API
 * validates with, so every seeded value passes the API's own checks.
 */

// Common surnames, most frequent first, repeated so that 王/李/张/刘/陈 come up as often as they do in life.
const SURNAMES = [
  ...'王李张刘陈王李张刘陈杨赵黄周吴杨赵黄周吴',
  ...'徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅玉兰德明文斌晓东春生永红立新宏伟凤英金凤树林长江振华国庆卫东小龙俊杰子涵雨轩浩然欣怡梓萱宇航嘉怡',
];

export function chineseName(rng: Random): string {
  const surname = rng.pick(SURNAMES);
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return surname + given;
}

// Real mainland mobile prefixes (three carriers and the virtual operators' 17x/19x ranges).
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '195',
  '198',
  '199',
];

/** A mobile number not in `taken` (which it joins). */
export function uniqueMobile(rng: Random, taken: Set<string>): string {
  for (;;) {
    const m = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    if (!taken.has(m)) {
      taken.add(m);
      return m;
    }
  }
}

export function mobilePrefixes(): readonly string[] {
  return MOBILE_PREFIXES;
}

// County-level division codes of places many Beijing migrant workers come from (Hebei, Henan, Shandong,
// Anhui, Sichuan, Gansu …). Any 6-digit code is well-formed; these keep the IDs plausible.
export const HOME_COUNTIES = [
  '130127',
  '130229',
  '130423',
  '130526',
  '130623',
  '130925',
  '131121',
  '410122',
  '410526',
  '410725',
  '411323',
  '411521',
  '411624',
  '412723',
  '370724',
  '371426',
  '341221',
  '341322',
  '510722',
  '511321',
  '620421',
  '622421',
  '140826',
  '150121',
  '230231',
  '421125',
  '430524',
  '360730',
  '500229',
  '520121',
];

/** A valid 18-character resident ID for a working-age adult; `taken` prevents duplicates. */
export function uniqueResidentId(rng: Random, taken: Set<string>, now: Date): string {
  for (;;) {
    const year = now.getUTCFullYear() - rng.int(18, 60);
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    const first17 =
      rng.pick(HOME_COUNTIES) +
      String(year) +
      String(month).padStart(2, '0') +
      String(day).padStart(2, '0') +
      String(rng.int(1, 999)).padStart(3, '0');
    const id = first17 + residentIdCheckCharacter(first17);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * A unified social credit code for an enterprise registered in `district`: '91' (enterprise, company) +
 * the 6-digit registration division + a 9-character organisation part + the GB 32100 check character.
 */
export function uniqueUscc(rng: Random, district: string, taken: Set<string>): string {
  for (;;) {
    let body = '91' + district;
    for (let i = 0; i < 9; i++) body += USCC_ALPHABET[rng.int(0, USCC_ALPHABET.length - 1)];
    const code = body + usccCheckCharacter(body);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}
