import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { pageSize } from '../api/pagination';
import { CaseType, toCaseType } from '../cases/case.types';
import { MY_TASKS_DEFAULT, type AgencyTaskService } from './agency-tasks';
import { CaseProcessType, toProcessType } from './process.types';

@ObjectType('AgencyTask', {
  description:
    '待办: a step a running process waits for the caller’s agency to take (a dispatch to acknowledge or report on, a referral to decide, a mediation to attend, a handover to accept, an approval)',
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
      '我的待办: the steps waiting for the caller’s agency on the processes of the cases it may see, as the owning inspection agency or as a party, soonest deadline first (none last)',
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
}
