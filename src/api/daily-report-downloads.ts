import { randomUUID } from 'node:crypto';
import type express from 'express';
import { GraphQLError } from 'graphql';
import type { Services } from '../app/services';
import { executionContext } from '../app/execution';
import type { Orm } from '../db/database';
import { DomainError, ErrorCode } from '../domain/errors';
import type { Logger } from '../logger';
import { dailyReportHtml, dailyReportXlsx } from '../reports/daily-report-render';
import type { CallerGuard } from './caller-guard';

const STATUS: Record<string, number> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.BadUserInput]: 400,
};

/**
 * The daily report's downloads, beside GraphQL on the API's port: `GET /reports/<id>.xlsx` (Excel) and
 * `GET /reports/<id>/print` (a printable page). The same bearer token, rate limits and policy as `dailyReport(id)`:
 * a report the caller may not read is 404, as if it did not exist.
 */
export function mountDailyReportDownloads(
  app: express.Express,
  deps: { orm: Orm; services: Services; guard: CallerGuard; log: Logger },
): void {
  const serve = (render: 'xlsx' | 'print') => (req: express.Request, res: express.Response) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'private, no-store');
    void (async () => {
      const actor = deps.guard.authenticate(req.header('authorization'));
      await deps.guard.admit(actor, req.ip);
      const id = String(req.params.id ?? '');
      const log = deps.log.child({ requestId, ...(actor ? { userId: actor.userId } : {}) });
      const report = await deps.services.dailyReports.get(executionContext({ em: deps.orm.em.fork(), log, actor, requestId }), id);
      if (render === 'xlsx') {
        const body = await dailyReportXlsx(report);
        res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        res.setHeader(
          'content-disposition',
          `attachment; filename="daily-report-${report.day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${report.agencyName}日通报-${report.day}.xlsx`)}`,
        );
        res.status(200).send(body);
      } else {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
        res.status(200).send(dailyReportHtml(report));
      }
    })().catch((err: unknown) => {
      const code = err instanceof DomainError ? err.code : err instanceof GraphQLError ? String(err.extensions.code) : undefined;
      const http =
        err instanceof GraphQLError ? (err.extensions.http as { status?: number; headers?: Map<string, string> } | undefined) : undefined;
      const status = http?.status ?? (code ? STATUS[code] : undefined);
      if (!status) {
        deps.log.error({ err, requestId }, 'daily report download failed');
        res.status(500).json({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        return;
      }
      for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
      // Out of scope or absent alike: NOT_FOUND, never "exists but not yours".
      res.status(status).json({ errors: [{ message: (err as Error).message, extensions: { code } }] });
    });
  };
  app.get('/reports/:id.xlsx', serve('xlsx'));
  app.get('/reports/:id/print', serve('print'));
}
