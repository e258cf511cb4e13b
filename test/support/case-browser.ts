import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserContext, casePage, launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './live-stack';

export type City = LiveStack['city'];
/** A user with the agency they act for. */
export type Persona = [City['inspector'], City['xichengHrss']];

export interface CaseBrowser {
  readonly stack: LiveStack;
  readonly city: City;
  /** Xicheng's inspector, supervisor and director, acting for Xicheng's labour inspection. */
  inspector(): Persona;
  supervisor(): Persona;
  director(): Persona;
  /** A browser of its own signed in as the persona, on the case's page. */
  open(persona: Persona, caseId: string): Promise<Page>;
}

/**
 * The case page's browser journeys share this setup: a live stack (database, Temporal, API) with its worker and a
 * headless Chromium, started before the suite's tests and stopped after them with every browser the tests opened.
 * Call it in a `describe` body.
 */
export function caseBrowserSuite(name: string): CaseBrowser {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let base = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startLiveStack(name), launchChromium()]);
    await stack.startWorker();
    base = new URL(stack.api.url).origin;
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  const started = (): LiveStack => {
    if (!stack) throw new Error('the live stack is not started yet (use it inside a test)');
    return stack;
  };
  const suite: CaseBrowser = {
    get stack() {
      return started();
    },
    get city() {
      return started().city;
    },
    inspector: () => [suite.city.inspector, suite.city.xichengHrss],
    supervisor: () => [suite.city.supervisor, suite.city.xichengHrss],
    director: () => [suite.city.director, suite.city.xichengHrss],
    async open([user, agency], caseId) {
      const context = await browserContext(browser!, base, started().api.tokenFor(user, agency));
      contexts.push(context);
      return casePage(context, caseId);
    },
  };
  return suite;
}

/**
 * Reads until `check` passes and answers that reading (a workflow's step lands in the database a moment after the
 * API's answer); after `tries` readings 200 ms apart, fails with `what` and the last reading.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, tries = 150): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: ${JSON.stringify(last)}`);
}
