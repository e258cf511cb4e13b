import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tools/setup/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run npm run setup:tools (it installs Debian's chromium package)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A browser of its own (cookies, storage), Beijing time, Chinese; signed in with `token` when one is given. */
export async function browserContext(browser: Browser, baseURL: string, token?: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  if (token) await context.addInitScript({ content: `localStorage.setItem('anxin.token', ${JSON.stringify(token)});` });
  return context;
}

/** A page of `context` on the case's page, once its number shows; the page's script errors go to the test's output. */
export async function casePage(context: BrowserContext, caseId: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[browser] ${err.message}\n`));
  page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[browser console] ${m.text()}\n`));
  await page.goto(`/cases/${caseId}`);
  await page.getByTestId('case-number').waitFor();
  return page;
}

/** Screenshots for review, in the git-ignored .screenshots/ folder. */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '.screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
