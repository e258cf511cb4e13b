import { Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../api/context';

export enum ServiceStatus {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(ServiceStatus, {
  name: 'ServiceStatus',
  valuesConfig: { UP: { description: '正常: reachable' }, DOWN: { description: '不可用: not reachable' } },
});

@ObjectType({ description: 'Whether the services the API depends on answer now. Public: needs no token.' })
export class Health {
  @Field(() => ServiceStatus)
  database!: ServiceStatus;

  @Field(() => ServiceStatus)
  temporal!: ServiceStatus;
}

@Resolver()
export class HealthResolver {
  @Query(() => Health)
  async health(@Ctx() ctx: RequestContext): Promise<Health> {
    const [database, temporal] = await Promise.all([ctx.services.health.database(), ctx.services.health.temporalServer()]);
    return { database: ServiceStatus[database], temporal: ServiceStatus[temporal] };
  }
}
