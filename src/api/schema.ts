import 'reflect-metadata';
import { printSchema, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType } from 'type-graphql';
import { AgencyResolver } from '../agencies/agency.resolver';
import type { Services } from '../app/services';
import { CaseResolver } from '../cases/case.resolver';
import { CaseActionsResolver } from '../cases/case-actions.resolver';
import { ComplainantResolver } from '../cases/complainant.resolver';
import { IntakeResultResolver } from '../cases/intake-result.resolver';
import { OwedWorkerResolver } from '../cases/owed-worker.resolver';
import { InvestigationResolver } from '../cases/investigation.resolver';
import { EmployerResolver } from '../employers/employer.resolver';
import { ProjectResolver, TeamMemberResolver } from '../projects/project.resolver';
import { RegionResolver } from '../regions/region.resolver';
import { HealthResolver } from '../health/health.resolver';
import { checkArguments } from './argument-checks';
import { CaseEventSubscriptionResolver } from '../events/case-event.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { CaseProcessesResolver, ProcessPartyResolver, ProcessResolver } from '../processes/process.resolver';
import type { AnyProcessModule } from '../processes/process-module';
import { registerProcessKinds } from '../processes/process.types';
import { processModules } from '../processes/registry';
import { ExtensionResolver } from '../processes/extension.resolver';
import { ClosureResolver } from '../processes/closure/closure.resolver';
import { AgencyTaskResolver } from '../processes/agency-task.resolver';
import { HolidayCalendarResolver } from '../calendar/holiday-calendar.resolver';
import { OverdueStepsResolver, StatisticsGroupResolver, StatisticsResolver } from '../statistics/statistics.resolver';
import { DailyReportResolver } from '../reports/daily-report.resolver';

type ResolverClass = new (...args: never[]) => object;

/** The resolvers, in schema order (a process's own come where the processes' are), each built with its services. */
function resolverSet(modules: ReadonlyArray<AnyProcessModule>, services?: Services): Array<[ResolverClass, () => object]> {
  const s = () => {
    if (!services) throw new Error('this schema was built without services (schema printing only)');
    return services;
  };
  return [
    [HealthResolver, () => new HealthResolver(s().health)],
    [CaseResolver, () => new CaseResolver(s().cases, s().intake, s().caseStatusAttempts)],
    [IntakeResultResolver, () => new IntakeResultResolver()],
    [CaseActionsResolver, () => new CaseActionsResolver()],
    [InvestigationResolver, () => new InvestigationResolver(s().investigation)],
    [ComplainantResolver, () => new ComplainantResolver()],
    [OwedWorkerResolver, () => new OwedWorkerResolver(s().roster)],
    [EmployerResolver, () => new EmployerResolver(s().employers)],
    [ProjectResolver, () => new ProjectResolver(s().projects)],
    [TeamMemberResolver, () => new TeamMemberResolver()],
    [RegionResolver, () => new RegionResolver()],
    [AgencyResolver, () => new AgencyResolver()],
    [ProcessResolver, () => new ProcessResolver(s().processes)],
    ...modules.flatMap((m) =>
      m.resolvers.map((R): [ResolverClass, () => object] => [R as ResolverClass, () => new R(s().processServices.get(m) as never)]),
    ),
    [ExtensionResolver, () => new ExtensionResolver(s().processes)],
    [ClosureResolver, () => new ClosureResolver(s().closure)],
    [AgencyTaskResolver, () => new AgencyTaskResolver(s().tasks)],
    [ProcessPartyResolver, () => new ProcessPartyResolver()],
    [CaseProcessesResolver, () => new CaseProcessesResolver()],
    [CaseEventSubscriptionResolver, () => new CaseEventSubscriptionResolver()],
    [WebhookResolver, () => new WebhookResolver(s().webhooks)],
    [HolidayCalendarResolver, () => new HolidayCalendarResolver(s().calendar)],
    [StatisticsResolver, () => new StatisticsResolver(s().statistics)],
    [StatisticsGroupResolver, () => new StatisticsGroupResolver()],
    [OverdueStepsResolver, () => new OverdueStepsResolver()],
    [DailyReportResolver, () => new DailyReportResolver(s().dailyReports)],
  ];
}

const unusedPubSub = {
  publish: () => undefined,
  subscribe: (): AsyncIterable<never> => ({
    [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined as never }) }),
  }),
};

/**
 * The GraphQL schema over the registry's processes. Resolvers are built once, with the services they need passed
 * to their constructors (type-graphql's container hands them out); without services the schema can only be printed.
 */
export async function buildAppSchema(
  opts: { services?: Services; modules?: ReadonlyArray<AnyProcessModule> } = {},
): Promise<GraphQLSchema> {
  const modules = opts.modules ?? processModules;
  registerProcessKinds(modules.map((m) => m.definition));
  const set = resolverSet(modules, opts.services);
  const instances = new Map<unknown, object>();
  const factories = new Map<unknown, () => object>(set);
  const container: ContainerType = {
    get(someClass) {
      let instance = instances.get(someClass);
      if (!instance) {
        const make = factories.get(someClass);
        if (!make) throw new Error(`no resolver instance for ${String((someClass as { name?: string }).name)}`);
        instance = make();
        instances.set(someClass, instance);
      }
      return instance;
    },
  };
  const schema = await buildSchema({
    resolvers: set.map(([R]) => R) as unknown as [ResolverClass, ...ResolverClass[]],
    container,
    // Subscriptions read the case file themselves (src/events); type-graphql still asks for a PubSub.
    pubSub: unusedPubSub,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
  return checkArguments(describeRootTypes(schema));
}

/** type-graphql names the root types but gives them no description; the schema lint asks every type for one. */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const descriptions: Array<[GraphQLObjectType | null | undefined, string]> = [
    [
      schema.getQueryType(),
      "What a caller may read. Every field answers only what the caller's agency may see (case scope, process parties); personal data is masked for agencies other than HRSS",
    ],
    [
      schema.getMutationType(),
      'What a caller may do. A refusal is a GraphQL error whose extensions.code is BAD_USER_INPUT, FORBIDDEN, NOT_FOUND or CONFLICT',
    ],
    [schema.getSubscriptionType(), 'Live updates over graphql-ws (the `graphql-transport-ws` protocol) at the same /graphql path'],
  ];
  for (const [type, description] of descriptions) if (type && !type.description) type.description = description;
  return schema;
}

/** The SDL committed as `schema/schema.graphql`. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildAppSchema())}\n`;
}
