import type { ExecutionContext } from '../core/execution-context';
import { Case } from '../cases/case.entity';
import { mayApproveClosing, type CaseActionKind } from '../policy/case-actions';
import { caseScope } from '../policy/case-scope';
import { seesProcess } from '../policy/process-visibility';
import { CASE_ACTION_ROLES, CLOSING_APPROVERS, hasRole } from '../policy/roles';
import { signedIn } from '../policy/signed-in';
import type { AnyProcessDefinition, AwaitedStep } from './process-definition';
import { CaseProcess, type ProcessParty } from './process.entity';

/** A step the caller must take on a running process: the dashboard's "my tasks" (我的待办). */
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
  /** The caller's roles: a step naming `roles` is the task of their holders only. Absent: not filtered by role. */
  roles?: readonly string[],
): Array<{ action: string; label: string; dueAt: Date | null }> {
  if (process.endedAt) return [];
  const out: Array<{ action: string; label: string; dueAt: Date | null }> = [];
  for (const step of Object.values(definition.steps)) {
    const a = step.awaited;
    if (!a || !waits(a, process)) continue;
    if (roles && a.roles && !hasRole({ roles }, a.roles)) continue;
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

/** A step the caller must take on a case itself (受理, 结案审批): "my tasks" beside the process steps. */
export interface CaseTask {
  case: Case;
  /** Its kind as Case.availableActions lists it. */
  caseAction: CaseStepKind;
  /** The mutation that takes it (acceptCase, approveClosing). */
  action: string;
  label: string;
  dueAt: Date | null;
  overdue: boolean;
}

/**
 * The case steps that wait on someone, with the mutation taking each, its label and its clock. Only the owning
 * agency's holders of the step's roles get them (the roles and checks Case.availableActions applies:
 * `CASE_ACTION_ROLES.DECIDE` for acceptance, `mayApproveClosing` for the closing approval).
 * - 受理: a received case awaits the decision to accept (or reject) it, by its acceptance deadline.
 * - 结案审批: a resolved case with a closing report awaits its approval by someone other than its author; closing has
 *   no statutory clock, so no deadline.
 * The extension of the resolution clock (延期) is not here: the system records it as one approval (approveExtension)
 * with no request before it, so nothing waits on an approver.
 */
const CASE_STEPS = {
  ACCEPT: { action: 'acceptCase', label: '受理审查', roles: CASE_ACTION_ROLES.DECIDE },
  APPROVE_CLOSING: { action: 'approveClosing', label: '结案审批', roles: CLOSING_APPROVERS },
} as const satisfies Partial<Record<CaseActionKind, { action: string; label: string; roles: readonly string[] }>>;
export type CaseStepKind = keyof typeof CASE_STEPS;

/**
 * "My tasks", by the caller's agency and its roles, soonest deadline first (none last):
 * - `myTasks`: the steps of the open processes of the cases it may see (the one case scope), as the case's owning
 *   inspection agency or as a party (a recipient, an invitee, the police), among the processes it may see
 *   (`seesProcess`), each only for the roles its validator admits (`AwaitedStep.roles`);
 * - `myCaseTasks`: the steps on the cases its agency owns: acceptance and the closing approval (`CASE_STEPS`).
 * Each in a constant number of statements whatever the number of tasks.
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
      for (const t of awaitedSteps(definition, p, c.owningAgency, ps, actor.agencyId, actor.roles ?? []))
        tasks.push({ process: p, case: c, ...t, overdue: t.dueAt != null && t.dueAt.getTime() < now });
    });
    const at = (t: AgencyTask) => t.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    tasks.sort(
      (x, y) => at(x) - at(y) || x.process.startedAt.getTime() - y.process.startedAt.getTime() || x.action.localeCompare(y.action),
    );
    return tasks.slice(0, first);
  }

  /**
   * The steps on the cases themselves waiting for the caller (`CASE_STEPS`), soonest deadline first (the closing
   * approvals, which have none, last; then by receipt): two statements whatever the number, the steps and their cases.
   */
  async myCaseTasks(ctx: ExecutionContext, first: number): Promise<CaseTask[]> {
    const actor = signedIn(ctx);
    const steps = await this.caseSteps(ctx, first);
    if (steps.length === 0) return [];
    const cases = await ctx.em.find(Case, { id: { $in: steps.map((s) => s.caseId) } });
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const now = ctx.clock.now().getTime();
    const tasks: CaseTask[] = [];
    for (const s of steps) {
      const c = caseById.get(s.caseId);
      if (!c) continue;
      // The SQL chose the rows; the policy's own predicate has the last word on the closing approval.
      if (
        s.kind === 'APPROVE_CLOSING' &&
        !mayApproveClosing(actor, { status: c.status, owningAgency: c.owningAgency, closingReport: s.report })
      )
        continue;
      const step = CASE_STEPS[s.kind];
      const dueAt = s.kind === 'ACCEPT' ? c.acceptanceDue : null;
      tasks.push({
        case: c,
        caseAction: s.kind,
        action: step.action,
        label: step.label,
        dueAt,
        overdue: dueAt != null && dueAt.getTime() < now,
      });
    }
    const at = (t: CaseTask) => t.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    tasks.sort((x, y) => at(x) - at(y) || x.case.receivedAt.getTime() - y.case.receivedAt.getTime() || x.action.localeCompare(y.action));
    return tasks;
  }

  /**
   * The case steps waiting for the caller (`CASE_STEPS`): in one query, on the cases its agency owns within its
   * scope, only those its roles may take, at most `first` (soonest acceptance deadline first, the approvals after).
   */
  private async caseSteps(
    ctx: ExecutionContext,
    first: number,
  ): Promise<Array<{ caseId: string; kind: CaseStepKind; report: { authorUserId: string | null } | null }>> {
    const actor = signedIn(ctx);
    // As Case.availableActions: only labour inspection takes steps on a case.
    if (actor.agencyKind !== 'HRSS_INSPECTION') return [];
    const accepts = hasRole(actor, CASE_STEPS.ACCEPT.roles);
    const approves = hasRole(actor, CASE_STEPS.APPROVE_CLOSING.roles);
    if (!accepts && !approves) return [];
    const scope = caseScope(actor);
    const rows = await ctx.em.getConnection().execute<Array<{ id: string; status: string; has_report: boolean; report_by: string | null }>>(
      `select c.id, c.status, r.seq is not null as has_report, r.actor_user_id as report_by
         from wage_case c
         left join lateral (select l.seq, l.actor_user_id from case_latest_closing_report(c.id) l
                             where c.status = 'RESOLVED') r on true
        where c.owning_agency_id = ? and (${scope.sql})
          and ((?::boolean and c.status = 'RECEIVED')
            or (?::boolean and c.status = 'RESOLVED' and r.seq is not null and r.actor_user_id::text is distinct from ?))
        order by c.status = 'RECEIVED' desc, c.acceptance_due, c.received_at
        limit ?`,
      [actor.agencyId, ...scope.params, accepts, approves, actor.userId, first],
    );
    return rows.map((r) => ({
      caseId: r.id,
      kind: r.status === 'RECEIVED' ? 'ACCEPT' : 'APPROVE_CLOSING',
      report: r.has_report ? { authorUserId: r.report_by } : null,
    }));
  }
}
