import { MaxLength, MinLength } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { UsccScalar } from '../api/scalars/uscc.scalar';
import type { Employer } from './employer.entity';

@ObjectType('Employer', { description: '用人单位: an employer' })
export class EmployerType {
  @Field(() => ID)
  id!: string;

  @Field(() => UsccScalar)
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: '法定代表人' })
  legalRepresentative?: string | null;

  @Field(() => DateTimeResolver, { description: 'When the employer was registered in Anxin (UTC)' })
  registeredAt!: Date;
}

@InputType()
export class RegisterEmployerInput {
  @Field(() => UsccScalar)
  uscc!: string;

  @Field()
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  legalRepresentative?: string | null;
}

function toGraphQL(e: Employer): EmployerType {
  return { id: e.id, uscc: e.uscc, name: e.name, legalRepresentative: e.legalRepresentative ?? null, registeredAt: e.createdAt };
}

@Resolver(() => EmployerType)
export class EmployerResolver {
  @Query(() => EmployerType, { description: 'An employer by its unified social credit code; NOT_FOUND if unknown' })
  async employer(@Ctx() ctx: RequestContext, @Arg('uscc', () => UsccScalar) uscc: string): Promise<EmployerType> {
    return toGraphQL(await ctx.services.employers.byUscc(ctx, uscc));
  }

  @Mutation(() => EmployerType, { description: 'Register an employer; CONFLICT if its code is already registered' })
  async registerEmployer(@Ctx() ctx: RequestContext, @Arg('input') input: RegisterEmployerInput): Promise<EmployerType> {
    return toGraphQL(await ctx.services.employers.register(ctx, input));
  }
}
