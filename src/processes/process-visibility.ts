import type { ExecutionContext } from '../core/execution-context';
import { seesProcess } from '../policy/process-visibility';
import type { CaseEvent } from '../cases/case.entity';
import type { CaseProcess } from './process.entity';

/** The processes of a (visible) case that the caller may see, through the request's batch loaders. */
export async function visibleProcesses(ctx: ExecutionContext, caseId: string): Promise<CaseProcess[]> {
  const processes = await ctx.loaders.processes.load(caseId);
  const parties = await Promise.all(processes.map((p) => ctx.loaders.processParties.load(p.id)));
  return processes.filter((p, i) =>
    seesProcess(
      ctx.actor,
      p,
      parties[i]!.map((x) => x.agency),
    ),
  );
}

/**
 * The entries of a (visible) case's file the caller may see, by the database's rule (`case_entry_visible_to`, the
 * one the event feed and the webhook trigger apply): a stranger to a referral reads none of it.
 */
export async function visibleEntries(ctx: ExecutionContext, caseId: string): Promise<CaseEvent[]> {
  if (!ctx.actor?.agencyKind) return [];
  const [entries, seqs] = await Promise.all([
    ctx.loaders.events.load(caseId),
    ctx.loaders.visibleEntrySeqs.load(`${ctx.actor.agencyId}|${caseId}`),
  ]);
  return entries.filter((e) => seqs.has(e.seq));
}
