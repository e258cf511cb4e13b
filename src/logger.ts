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
  if (config.log.format === 'pretty') {
    return pino(
      options,
      pretty({
        sync: true,
        colorize: !destination && process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        destination: (destination ?? process.stdout) as NodeJS.WritableStream & { fd?: number },
      }),
    );
  }
  return destination ? pino(options, destination) : pino(options, pino.destination({ sync: true }));
}

