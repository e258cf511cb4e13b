import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium, which the browser tests and `bench:dashboard` drive through playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium reaches for Google's services and
 * the sandboxed network refuses it. playwright-core gives each launch a fresh --user-data-dir of its own.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether a font for Chinese is installed (fontconfig comes with Chromium): without one the screenshots show boxes. */
function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

/**
 * Makes sure Chromium and a Chinese font (WenQuanYi Zen Hei, for the screenshots people review) are installed: what
 * is missing is installed with `apt-get` as root (as the setup step fetches the Temporal binaries); anyone else gets
 * a clear error saying what to install. A missing font alone is only reported to a non-root user.
 */
export function ensureChromium(log: (m: string) => void): string {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) {
    if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
    missing.push('chromium');
  }
  if (!hasChineseFont()) missing.push('fonts-wqy-zenhei');
  if (missing.length === 0) return CHROMIUM;
  const root = typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get');
  if (!root) {
    if (missing.includes('chromium'))
      throw new Error(
        `${CHROMIUM} is missing: the browser tests need Debian's chromium package (as root: apt-get update && apt-get install -y ${missing.join(' ')}), or CHROMIUM_PATH pointing at a Chromium`,
      );
    log('Chromium: no Chinese font is installed, so screenshots show boxes (as root: apt-get install -y fonts-wqy-zenhei)');
    return CHROMIUM;
  }
  log(`Chromium: installing Debian’s ${missing.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}
