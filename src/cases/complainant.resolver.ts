import { Ctx, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { mask, seesPersonalData } from '../policy/personal-data';
import { ComplainantType } from './case.types';

@ObjectType('Person', {
  description:
    'A complainant or worker. Shown whole to labour inspection; every other agency gets masked forms (张*, 138****1234, 110***********1234).',
})
export class PersonType {
  @Field(() => String, { description: "The person's name; masked (张*) for callers outside HRSS", nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile number (11 digits), or its masked form' })
  mobile!: string | null;

  @Field(() => String, { nullable: true, description: 'Resident ID number (18 characters), or its masked form' })
  residentId!: string | null;
}

@Resolver(() => ComplainantType)
export class ComplainantResolver {
  /**
   * The person's id links their complaints across cases (one phone, one person), so it goes only to those who see
   * personal data whole: labour inspection, who records identities (recordComplainantIdentity names the person).
   */
  @FieldResolver(() => ID, {
    nullable: true,
    description:
      'The complainant’s person id, as recordComplainantIdentity and addOwedWorker name it; labour inspection only (null for other agencies: it links complaints across cases)',
  })
  personId(@Root() c: ComplainantType, @Ctx() ctx: RequestContext): string | null {
    return seesPersonalData(ctx.actor) ? c.personId : null;
  }

  @FieldResolver(() => PersonType, {
    description:
      'Who the complainant is on this case: what labour inspection established here, else what a complaint here said, and the mobile number',
  })
  async person(@Root() c: ComplainantType, @Ctx() ctx: RequestContext): Promise<PersonType> {
    const p = (await ctx.loaders.person.load(c.personId))!;
    return shown(ctx, { name: c.identity.name, mobile: p.mobile ?? null, residentId: c.identity.residentId });
  }

  @FieldResolver(() => PersonType, {
    description:
      'What this complaint said of its complainant, as given (masked as the person is). The person itself changes only through recordComplainantIdentity.',
  })
  stated(@Root() c: ComplainantType, @Ctx() ctx: RequestContext): PersonType {
    return shown(ctx, { name: c.statedName, mobile: null, residentId: c.statedResidentId });
  }
}

/** Personal data whole for labour inspection, masked for everyone else. */
function shown(ctx: RequestContext, p: PersonType): PersonType {
  if (seesPersonalData(ctx.actor)) return p;
  return {
    name: p.name ? mask.name(p.name) : null,
    mobile: p.mobile ? mask.mobile(p.mobile) : null,
    residentId: p.residentId ? mask.residentId(p.residentId) : null,
  };
}
