import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { EmployerResolver } from '../employers/employer.resolver';
import { HealthResolver } from '../health/health.resolver';

export const resolvers = [HealthResolver, EmployerResolver] as const;

export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
}

/** The SDL committed as `schema/schema.graphql`. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildAppSchema())}\n`;
}
