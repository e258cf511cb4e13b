import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { pageSize } from '../api/pagination';
import { CaseActionEnum } from '../cases/case-actions.resolver';
import { CaseType, toCaseType } from '../cases/case.types';
import type { CaseActionKind } from '../policy/case-actions';
import { MY_TASKS_DEFAULT, type AgencyTaskService } from './agency-tasks';
import { CaseProcessType, toProcessType } from './process.types';

@ObjectType('CaseTask', {
  description:
    '案件待办: a step on a case itself waiting for the caller, by its agency and roles (受理 acceptance, 结案审批 closing approval)',
})
export class CaseTaskType {
  @Field(() => CaseType, { description: 'The case (案件) waiting; personal data masked as on any case read' })
  case!: CaseType;

  @Field(() => CaseActionEnum, { description: 'The step, as Case.availableActions lists it (ACCEPT, APPROVE_CLOSING)' })
  caseAction!: CaseActionKind;

  @Field({ description: 'The mutation that takes it (acceptCase, approveClosing)' })
  action!: string;

  @Field({ description: 'The step awaited, in Chinese (e.g. 结案审批)' })
  label!: string;

  @Field(() => DateTimeResolver, {
    description: 'When the step is due (UTC): the case’s statutory clock (acceptance); null when it has none (closing approval)',
    nullable: true,
  })
  dueAt!: Date | null;

  @Field({ description: 'Whether the deadline has passed' })
  overdue!: boolean;
}

@ObjectType('AgencyTask', {
  description:
    '待办: a step a running process waits for the caller to take, by its agency and roles (a dispatch to acknowledge or report on, a referral to decide, a mediation to attend, a handover to accept, an approval)',
})
export class AgencyTaskType {
  @Field(() => CaseProcessType, { description: 'The process waiting' })
  process!: CaseProcessType;

  @Field(() => CaseType, { description: 'The case (案件) the process runs on; personal data masked as on any case read' })
  case!: CaseType;

  @Field({
    description: 'The step awaited: the name of its Workflow Update, e.g. acknowledgeDispatch (the mutation taking it is named alike)',
  })
  action!: string;

  @Field({ description: 'The step awaited, in Chinese (e.g. 确认接收交办)' })
  label!: string;

  @Field(() => DateTimeResolver, { description: 'When the step is due (UTC); null when it has no deadline', nullable: true })
  dueAt!: Date | null;

  @Field({ description: 'Whether the deadline has passed' })
  overdue!: boolean;
}

@Resolver(() => AgencyTaskType)
export class AgencyTaskResolver {
  constructor(private readonly tasks: AgencyTaskService) {}

  @Query(() => [AgencyTaskType], {
    description:
      '我的待办: the steps waiting for the caller on the processes of the cases it may see, as the owning inspection agency or as a party, only those its roles may take; soonest deadline first (none last). The steps on the cases themselves are myCaseTasks',
  })
  async myTasks(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { description: `At most this many tasks (default ${MY_TASKS_DEFAULT}, at most 200)`, nullable: true })
    first?: number,
  ): Promise<AgencyTaskType[]> {
    const tasks = await this.tasks.myTasks(ctx, pageSize(first, MY_TASKS_DEFAULT));
    return tasks.map((t) => ({
      process: toProcessType(t.process),
      case: toCaseType(t.case),
      action: t.action,
      label: t.label,
      dueAt: t.dueAt,
      overdue: t.overdue,
    }));
  }

  @Query(() => [CaseTaskType], {
    description:
      '我的待办（案件）: the steps on the cases the caller’s agency owns that wait for the caller’s roles: acceptance (受理, by the acceptance deadline) and the approval of a closing report someone else wrote (结案审批); soonest deadline first (none last). Each is among the case’s availableActions for the caller',
  })
  async myCaseTasks(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { description: `At most this many tasks (default ${MY_TASKS_DEFAULT}, at most 200)`, nullable: true })
    first?: number,
  ): Promise<CaseTaskType[]> {
    const tasks = await this.tasks.myCaseTasks(ctx, pageSize(first, MY_TASKS_DEFAULT));
    return tasks.map((t) => ({ ...t, case: toCaseType(t.case) }));
  }
}
