import { Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { HealthService } from './health.service';

export enum ServiceStatus {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(ServiceStatus, {
  name: 'ServiceStatus',
  description: 'Whether a service the API depends on answers',
  valuesConfig: { UP: { description: '正常: reachable' }, DOWN: { description: '不可用: not reachable' } },
});

@ObjectType({ description: 'Whether the services the API depends on answer now. Public: needs no token.' })
export class Health {
  @Field(() => ServiceStatus, { description: 'Whether PostgreSQL answers' })
  database!: ServiceStatus;

  @Field(() => ServiceStatus, { description: 'Whether the Temporal server answers' })
  temporal!: ServiceStatus;
}

@Resolver()
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Query(() => Health, { description: 'Whether the database and Temporal answer now. Public: needs no token' })
  async health(): Promise<Health> {
    const [database, temporal] = await Promise.all([this.healthService.database(), this.healthService.temporalServer()]);
    return { database: ServiceStatus[database], temporal: ServiceStatus[temporal] };
  }
}
