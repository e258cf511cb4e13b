import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { mask, seesPersonalData } from '../policy/personal-data';
import { CaseType, toCaseType } from './case.types';
import { lineDone, paidByLine } from './owed-worker.entity';
import type { RosterService } from './owed-worker.service';
import { AddOwedWorkerInput, CorrectOwedWorkerInput, OwedWorkerType, RemoveOwedWorkerInput } from './owed-worker.types';

/** The roster of owed workers of a case: the field on Case, and labour inspection's mutations. */
@Resolver(() => CaseType)
export class OwedWorkerResolver {
  constructor(private readonly roster: RosterService) {}

  @Mutation(() => CaseType, { description: 'Add a worker owed wages to the case’s roster (labour inspection’s caseworkers)' })
  async addOwedWorker(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What addOwedWorker needs (see AddOwedWorkerInput)' }) input: AddOwedWorkerInput,
  ): Promise<CaseType> {
    return toCaseType(await this.roster.addOwedWorker(ctx, { ...input, amountOwedFen: input.amountOwed }));
  }

  @Mutation(() => CaseType, { description: 'Correct a line of the case’s roster of owed workers (labour inspection’s caseworkers)' })
  async correctOwedWorker(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What correctOwedWorker needs (see CorrectOwedWorkerInput)' }) input: CorrectOwedWorkerInput,
  ): Promise<CaseType> {
    return toCaseType(await this.roster.correctOwedWorker(ctx, { ...input, amountOwedFen: input.amountOwed }));
  }

  @Mutation(() => CaseType, { description: 'Remove a line entered by mistake from the case’s roster (labour inspection’s caseworkers)' })
  async removeOwedWorker(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What removeOwedWorker needs (see RemoveOwedWorkerInput)' }) input: RemoveOwedWorkerInput,
  ): Promise<CaseType> {
    return toCaseType(await this.roster.removeOwedWorker(ctx, input));
  }

  @FieldResolver(() => [OwedWorkerType], {
    description:
      'Who is owed what: the roster of owed workers, with what each was paid. Personal data masked for agencies other than labour inspection',
  })
  async owedWorkers(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<OwedWorkerType[]> {
    const [lines, allocations] = await Promise.all([ctx.loaders.owedWorkers.load(c.id), ctx.loaders.paymentAllocations.load(c.id)]);
    const paid = paidByLine(allocations);
    const whole = seesPersonalData(ctx.actor);
    return lines.map((l) => ({
      id: l.id,
      name: whole ? l.name : mask.name(l.name),
      residentId: l.residentId ? (whole ? l.residentId : mask.residentId(l.residentId)) : null,
      mobile: l.mobile ? (whole ? l.mobile : mask.mobile(l.mobile)) : null,
      monthsOwed: l.monthsOwed,
      amountOwed: l.amountOwedFen,
      amountPaid: paid.get(l.id) ?? 0,
      settled: l.settled,
      done: lineDone(l, paid),
      complainantPersonId: l.person ?? null,
    }));
  }
}
