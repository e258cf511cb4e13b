import { caseWorkflowId } from '../src/cases/case-workflow';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { addProject } from './support/fixtures';
import { testLog } from './support/logger';
import { startLiveStack, type LiveStack } from './support/live-stack';

/**
 * A case change made outside a workflow step that moves a fact the workflows tag (status, owner, region) tells the
 * case's lifecycle, through the workflow outbox (a `caseFactsChanged` row written in the change's transaction), so
 * its search attributes follow: naming the lead puts an accepted case IN_PROGRESS, and `AnxinCaseStatus` says so.
 * On a real Temporal dev server with Anxin's search attributes registered.
 */
describe('a case’s search attributes follow a change made outside a workflow step', () => {
  let stack: LiveStack;
  let seq = 0;
  beforeAll(async () => {
    stack = await startLiveStack('case-tags-follow', { searchAttributes: true });
    await stack.startWorker();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const hrss = () => stack.as(stack.city.inspector, stack.city.xichengHrss);
  const director = () => stack.as(stack.city.director, stack.city.xichengHrss);
  const sql = <T>(q: string, params: unknown[] = []) => stack.db.orm.em.fork().getConnection().execute<T[]>(q, params);

  async function acceptedCase() {
    const ctx = stack.as(stack.city.hotline, stack.city.integrator);
    const { case: c } = await ctx.services.intake.intake(ctx, {
      channel: 'HOTLINE_12345',
      contactPhone: `1370001${String(1000 + seq++).padStart(4, '0')}`,
      description: '工地拖欠工资',
      projectCode: (await addProject(stack.db.orm.em.fork(), stack.city.project)).code,
      amountClaimedFen: 1_200_000,
      workersAffected: 3,
    });
    await hrss().services.cases.acceptCase(hrss(), { caseId: c.id });
    await stack.settle();
    expect(await statusTag(c.id, 'ACCEPTED')).toBe('ACCEPTED');
    return c;
  }

  /** Waits (up to 20 s) until the lifecycle's AnxinCaseStatus is `status`; answers what it was last seen as. */
  async function statusTag(caseId: string, status: string): Promise<string | undefined> {
    const handle = stack.temporal.client.workflow.getHandle(caseWorkflowId(caseId));
    let seen: string | undefined;
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const attrs = (await handle.describe()).typedSearchAttributes.getAll();
      seen = attrs.find((p) => p.key.name === 'AnxinCaseStatus')?.value as string | undefined;
      if (seen === status) return seen;
    }
    return seen;
  }

  const refreshRows = (caseId: string) =>
    sql<{ signal_name: string; delivered: boolean }>(
      `select signal_name, delivered_at is not null as delivered from workflow_outbox where workflow_id = ? and signal_name = 'caseFactsChanged' order by id`,
      [caseWorkflowId(caseId)],
    );

  it('after assignLead the lifecycle’s AnxinCaseStatus is IN_PROGRESS', async () => {
    const c = await acceptedCase();
    const after = await director().services.cases.assignLead(director(), { caseId: c.id, inspectorId: stack.city.inspector.id });
    expect(after.status).toBe('IN_PROGRESS');
    await stack.settle();
    expect(await statusTag(c.id, 'IN_PROGRESS')).toBe('IN_PROGRESS');
    expect(await refreshRows(c.id)).toEqual([{ signal_name: 'caseFactsChanged', delivered: true }]);
  });

  it('a lifecycle ended by the step that moved the case’s status (wages paid) ends with that status in AnxinCaseStatus', async () => {
    const c = await acceptedCase();
    await director().services.cases.assignLead(director(), { caseId: c.id, inspectorId: stack.city.inspector.id });
    await stack.settle();
    expect(await statusTag(c.id, 'IN_PROGRESS')).toBe('IN_PROGRESS');
    const paid = await hrss().services.cases.recordPayment(hrss(), {
      caseId: c.id,
      amountFen: 1_200_000,
      workersPaid: 3,
      paidOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
    });
    expect(paid.status).toBe('RESOLVED');
    await stack.settle();
    const lifecycle = stack.temporal.client.workflow.getHandle(caseWorkflowId(c.id));
    await expect(lifecycle.result()).resolves.toMatchObject({ phase: 'ENDED' });
    // Read once the workflow has completed: nothing can change it after, so the first answer is the last.
    const attrs = (await lifecycle.describe()).typedSearchAttributes.getAll();
    expect(attrs.find((p) => p.key.name === 'AnxinCaseStatus')?.value).toBe('RESOLVED');
  });

  it('a change that moves no tagged fact, or that tells the lifecycle a step anyway, queues no refresh', async () => {
    const c = await acceptedCase();
    // The first lead moves the case IN_PROGRESS (one row); another lead, a contact move nothing the workflows tag.
    await director().services.cases.assignLead(director(), { caseId: c.id, inspectorId: stack.city.inspector.id });
    await director().services.cases.assignLead(director(), { caseId: c.id, inspectorId: stack.city.inspector2.id });
    await hrss().services.cases.recordContact(hrss(), { caseId: c.id, kind: 'CALL', outcome: 'REACHED' });
    // Acceptance moved the status too, but its ACCEPTED step already makes the lifecycle read its tags again.
    expect(await refreshRows(c.id)).toEqual([expect.objectContaining({ signal_name: 'caseFactsChanged' })]);
  });

  it('the row is committed with the change: delivered later (a crash before the Temporal call), it still reaches the workflow', async () => {
    const c = await acceptedCase();
    // The running relay stands for the process that crashed: stopped, it delivers nothing of what follows (last test:
    // the stack's relay stays stopped).
    await stack.relay.stop();
    const after = await director().services.cases.assignLead(director(), { caseId: c.id, inspectorId: stack.city.inspector.id });
    expect(after.status).toBe('IN_PROGRESS');
    expect(await refreshRows(c.id)).toEqual([{ signal_name: 'caseFactsChanged', delivered: false }]);
    // Another process's relay finds the row and delivers it; a second delivery of the same row changes nothing.
    const relay = new OutboxRelay(stack.db.orm, stack.temporal.client, 'case-tags-follow', testLog);
    while ((await relay.drain()) > 0);
    expect(await statusTag(c.id, 'IN_PROGRESS')).toBe('IN_PROGRESS');
    await sql(`update workflow_outbox set delivered_at = null where workflow_id = ? and signal_name = 'caseFactsChanged'`, [
      caseWorkflowId(c.id),
    ]);
    while ((await relay.drain()) > 0);
    expect(await statusTag(c.id, 'IN_PROGRESS')).toBe('IN_PROGRESS');
    await relay.stop();
  });
});
