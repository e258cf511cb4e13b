import type { ExecutionContext } from '../core/execution-context';
import { Case } from '../cases/case.entity';
import { caseScope } from '../policy/case-scope';
import { seesProcess } from '../policy/process-visibility';
import { signedIn } from '../policy/signed-in';
import type { AnyProcessDefinition, AwaitedStep } from './process-definition';
import { CaseProcess, type ProcessParty } from './process.entity';

/** A step an agency must take on a running process: the dashboard's "my tasks" (我的待办). */
export interface AgencyTask {
  process: CaseProcess;
  case: Case;
  /** The step awaited: its Workflow Update's name (the mutation that takes it is named alike). */
  action: string;
  label: string;
  dueAt: Date | null;
  overdue: boolean;
}

/** The steps of `process` awaited from `agencyId`, by the definition's `awaited` rules (pure). */
export function awaitedSteps(
  definition: AnyProcessDefinition,
  process: Pick<CaseProcess, 'status' | 'waitingOn' | 'dueAt' | 'endedAt'>,
  owningAgency: string,
  parties: ReadonlyArray<Pick<ProcessParty, 'agency' | 'status' | 'acknowledgedAt' | 'reportedAt' | 'acknowledgeDue' | 'reportDue'>>,
  agencyId: string,
): Array<{ action: string; label: string; dueAt: Date | null }> {
  if (process.endedAt) return [];
  const out: Array<{ action: string; label: string; dueAt: Date | null }> = [];
  for (const step of Object.values(definition.steps)) {
    const a = step.awaited;
    if (!a || !waits(a, process)) continue;
    const task = (dueAt: Date | null | undefined) => out.push({ action: step.update.name, label: a.label, dueAt: dueAt ?? null });
    if (a.by === 'OWNER') {
      if (owningAgency === agencyId) task(process.dueAt);
      continue;
    }
    const own = parties.filter((p) => p.agency === agencyId && partyAt(a, p));
    // One task per step, at the earliest deadline of the agency's own rows.
    const dues = own.map((p) => (a.due === 'acknowledgeDue' ? p.acknowledgeDue : a.due === 'reportDue' ? p.reportDue : process.dueAt));
    if (own.length) task(dues.filter((d): d is Date => d != null).sort((x, y) => x.getTime() - y.getTime())[0]);
  }
  return out;
}

function waits(a: AwaitedStep, p: Pick<CaseProcess, 'status' | 'waitingOn'>): boolean {
  return (!a.status || a.status.includes(p.status)) && (!a.waitingOn || (p.waitingOn != null && a.waitingOn.includes(p.waitingOn)));
}

function partyAt(a: AwaitedStep, p: Pick<ProcessParty, 'status' | 'acknowledgedAt' | 'reportedAt'>): boolean {
  if (a.party === undefined) return true;
  if (a.party === 'unacknowledged') return !p.acknowledgedAt;
  if (a.party === 'unreported') return !!p.acknowledgedAt && !p.reportedAt;
  return a.party.includes(p.status);
}

export const MY_TASKS_DEFAULT = 50;

/**
 * "My tasks": the steps the caller's agency must take on the open processes of the cases it may see (the one case
 * scope), as the case's owning inspection agency or as a party (a recipient, an invitee, the police), among the
 * processes it may see (`seesProcess`), ordered by deadline (none last). A constant number of statements whatever
 * the number of tasks: the processes, their cases and their parties, each in one query.
 */
export class AgencyTaskService {
  constructor(private readonly definitions: ReadonlyArray<AnyProcessDefinition>) {}

  async myTasks(ctx: ExecutionContext, first: number): Promise<AgencyTask[]> {
    const actor = signedIn(ctx);
    const scope = caseScope(actor);
    const ids = await ctx.em.getConnection().execute<Array<{ id: string }>>(
      `select cp.id from case_process cp join wage_case c on c.id = cp.case_id
        where cp.ended_at is null and (${scope.sql})
          and (c.owning_agency_id = ? or exists (select 1 from process_party pp where pp.process_id = cp.id and pp.agency_id = ?))`,
      [...scope.params, actor.agencyId, actor.agencyId],
    );
    if (ids.length === 0) return [];
    const processes = await ctx.em.find(CaseProcess, { id: { $in: ids.map((r) => r.id) } });
    if (processes.length === 0) return [];
    const [cases, parties] = await Promise.all([
      ctx.em.find(Case, { id: { $in: [...new Set(processes.map((p) => p.case))] } }),
      ctx.loaders.processParties.loadMany(processes.map((p) => p.id)),
    ]);
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const now = ctx.clock.now().getTime();
    const tasks: AgencyTask[] = [];
    processes.forEach((p, i) => {
      const definition = this.definitions.find((d) => d.kind === p.kind);
      const c = caseById.get(p.case);
      const ps = parties[i];
      if (!definition || !c || !Array.isArray(ps)) return;
      if (
        !seesProcess(
          actor,
          p,
          ps.map((x) => x.agency),
        )
      )
        return;
      for (const t of awaitedSteps(definition, p, c.owningAgency, ps, actor.agencyId))
        tasks.push({ process: p, case: c, ...t, overdue: t.dueAt != null && t.dueAt.getTime() < now });
    });
    const at = (t: AgencyTask) => t.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    tasks.sort(
      (x, y) => at(x) - at(y) || x.process.startedAt.getTime() - y.process.startedAt.getTime() || x.action.localeCompare(y.action),
    );
    return tasks.slice(0, first);
  }
}
