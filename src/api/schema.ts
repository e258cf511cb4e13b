import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AgencyResolver } from '../agencies/agency.resolver';
import { CaseResolver } from '../cases/case.resolver';
import { ComplainantResolver } from '../cases/complainant.resolver';
import { IntakeResultResolver } from '../cases/intake-result.resolver';
import { EmployerResolver } from '../employers/employer.resolver';
import { ProjectResolver, TeamMemberResolver } from '../projects/project.resolver';
import { RegionResolver } from '../regions/region.resolver';
import { HealthResolver } from '../health/health.resolver';
import { checkArguments } from './argument-checks';
import { CaseEventSubscriptionResolver } from '../events/case-event.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { CaseProcessesResolver, ProcessPartyResolver, ProcessResolver } from '../processes/process.resolver';

export const resolvers = [HealthResolver, CaseResolver, IntakeResultResolver, ComplainantResolver, EmployerResolver, ProjectResolver, TeamMemberResolver, RegionResolver, AgencyResolver, ProcessResolver, ProcessPartyResolver, CaseProcessesResolver, CaseEventSubscriptionResolver, WebhookResolver] as const;

const unusedPubSub = {
  publish: () => undefined,
  subscribe: (): AsyncIterable<never> => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined as never }) }) }),
};

export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    // Subscriptions read the case file themselves (src/events); type-graphql still asks for a PubSub.
    pubSub: unusedPubSub,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
  return checkArguments(schema);
}

/** The SDL committed as `schema/schema.graphql`. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildAppSchema())}\n`;
}
