import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { MobileScalar, ResidentIdScalar } from '../api/scalars';
import { ComplainantType } from './case.types';

@ObjectType('Person', { description: 'A complainant or worker. Shown whole to labour inspection; other agencies get masked forms (issue 5).' })
export class PersonType {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => MobileScalar, { nullable: true })
  mobile!: string | null;

  @Field(() => ResidentIdScalar, { nullable: true })
  residentId!: string | null;
}

@Resolver(() => ComplainantType)
export class ComplainantResolver {
  @FieldResolver(() => PersonType)
  async person(@Root() c: ComplainantType, @Ctx() ctx: RequestContext): Promise<PersonType> {
    const p = (await ctx.loaders.person.load(c.personId))!;
    return { name: p.name ?? null, mobile: p.mobile ?? null, residentId: p.residentId ?? null };
  }
}
