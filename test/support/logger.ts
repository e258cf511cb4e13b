import { createLogger } from '../../src/logger';

/** Tests log warnings and worse only, as JSON, so a failing run shows what went wrong without noise. */
export const testLog = createLogger({ log: { level: (process.env.LOG_LEVEL as 'warn') ?? 'warn', format: 'json' } });
