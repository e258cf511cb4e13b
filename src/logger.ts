import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type { Logger };

/**
 * One JSON object a line in production (for the log pipeline), readable lines in development.
 * Request and case context travel as child-logger bindings: `requestId`, `caseNumber`.
 */
export function createLogger(config: Pick<Config, 'log'>, destination?: NodeJS.WritableStream): Logger {
  const options = { level: config.log.level, base: { service: 'anxin' } };
  // Standard output is written asynchronously: lines logged while a write is in flight go out together in the
  // next one. Written synchronously, the API's two lines per request were a write system call each, a tenth of
  // an intake's CPU. Buffered lines are flushed when the process exits (pino and pino-pretty register for it);
  // a process killed outright can lose the last few.
  if (config.log.format === 'pretty') {
    return pino(
      options,
      pretty({
        colorize: !destination && process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        ...(destination
          ? { sync: true, destination: destination as NodeJS.WritableStream & { fd?: number } }
          : { sync: false, destination: 1 }),
      }),
    );
  }
  return destination ? pino(options, destination) : pino(options, pino.destination({ sync: false }));
}
