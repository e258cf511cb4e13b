import type { RequestContext } from '../api/context';
import { seesProcess } from '../auth/policy';
import type { CaseProcess } from './process.entity';

/** The processes of a (visible) case that the caller may see, through the request's batch loaders. */
export async function visibleProcesses(ctx: RequestContext, caseId: string): Promise<CaseProcess[]> {
  const processes = await ctx.loaders.processes.load(caseId);
  const parties = await Promise.all(processes.map((p) => ctx.loaders.processParties.load(p.id)));
  return processes.filter((p, i) => seesProcess(ctx.actor, p, parties[i]!.map((x) => x.agency)));
}

/** Case-file entries of a process the caller may not see are left out (a stranger to a referral reads none of it). */
export async function visibleEntry(ctx: RequestContext, caseId: string): Promise<(payload: Record<string, unknown>) => boolean> {
  if (ctx.actor?.agencyKind === 'HRSS_INSPECTION') return () => true;
  const all = await ctx.loaders.processes.load(caseId);
  const visible = new Set((await visibleProcesses(ctx, caseId)).map((p) => p.id));
  const known = new Set(all.map((p) => p.id));
  return (payload) => typeof payload.processId !== 'string' || !known.has(payload.processId) || visible.has(payload.processId);
}
