import { GraphQLJSONObject, DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { DivisionCodeScalar } from '../api/scalars';
import type { FeedEntry } from './case-event-feed';
import { entryPayloadFor } from './case-entry-view';

@ObjectType('CaseEventMessage', { description: 'One entry of a case file, pushed to a subscriber, with the cursor to resume after it' })
export class CaseEventMessage {
  @Field({ description: 'Reconnect with `after: cursor` to receive everything after this entry, then live ones' }) cursor!: string;
  @Field(() => ID, { description: 'The case the event belongs to' }) caseId!: string;
  @Field({ description: 'The case number (案件编号)' }) caseNumber!: string;
  @Field(() => Int, { description: "The event's sequence number in the case file" }) seq!: number;
  @Field({ description: 'What happened: the entry type (e.g. ACCEPTED, PAYMENT_RECORDED)' }) type!: string;
  @Field(() => DateTimeResolver, { description: 'When it happened (UTC)' }) at!: Date;
  @Field(() => ID, { description: 'The user who did it; null for the system', nullable: true }) actorUserId!: string | null;
  @Field(() => ID, { description: 'The agency the actor acted for', nullable: true }) actorAgencyId!: string | null;
  @Field(() => GraphQLJSONObject, { description: "The entry's details (personal data masked outside HRSS)" }) payload!: Record<
    string,
    unknown
  >;
  @Field(() => GraphQLJSONObject, { description: 'Changed fields before the change', nullable: true }) before!: Record<
    string,
    unknown
  > | null;
  @Field(() => GraphQLJSONObject, { description: 'Changed fields after the change', nullable: true }) after!: Record<
    string,
    unknown
  > | null;
}

@InputType({ description: "Which cases' events to receive" })
export class CaseEventFilterInput {
  @Field(() => ID, { description: "Only this case's events", nullable: true }) caseId?: string;
  @Field(() => DivisionCodeScalar, { nullable: true, description: 'This region and every region below it' }) regionCode?: string;
  @Field(() => ID, { nullable: true, description: 'The owning inspection agency' }) agencyId?: string;
  @Field(() => ID, { description: 'Only events of cases against this employer', nullable: true }) employerId?: string;
  @Field(() => ID, { description: 'Only events of cases on this project', nullable: true }) projectId?: string;
  @Field(() => [String], { nullable: true, description: 'Entry types, e.g. ACCEPTED, PAYMENT_RECORDED' }) types?: string[];
}

@Resolver()
export class CaseEventSubscriptionResolver {
  @Subscription(() => CaseEventMessage, {
    description:
      'The case-file entries the caller may see, filtered, in order: after `after` (resumable), then live. Over graphql-ws on /graphql.',
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      if (!ctx.feed) throw new Error('this server has no event feed');
      return ctx.feed.subscribe(ctx.actor, (args.filter as CaseEventFilterInput | undefined) ?? {}, args.after as string | undefined);
    },
  })
  caseEvents(
    @Root() entry: FeedEntry,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CaseEventFilterInput, {
      description:
        'Which events (by case, employer, project, region, owning agency or entry type); every case the caller may see when omitted',
      nullable: true,
    })
    _filter?: CaseEventFilterInput,
    @Arg('after', () => String, {
      description: 'Resume after this event cursor (replays what was missed); only new events when omitted',
      nullable: true,
    })
    _after?: string,
  ): CaseEventMessage {
    return { ...entry, payload: entryPayloadFor(ctx.actor, entry.payload) };
  }
}
