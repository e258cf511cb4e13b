import { GraphQLJSONObject, DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { DivisionCodeScalar } from '../api/scalars';
import type { FeedEntry } from './case-event-feed';
import { entryPayloadFor } from './case-entry-view';

@ObjectType('CaseEventMessage', { description: 'One entry of a case file, pushed to a subscriber, with the cursor to resume after it' })
export class CaseEventMessage {
  @Field({ description: 'Reconnect with `after: cursor` to receive everything after this entry, then live ones' }) cursor!: string;
  @Field(() => ID) caseId!: string;
  @Field() caseNumber!: string;
  @Field(() => Int) seq!: number;
  @Field() type!: string;
  @Field(() => DateTimeResolver) at!: Date;
  @Field(() => ID, { nullable: true }) actorUserId!: string | null;
  @Field(() => ID, { nullable: true }) actorAgencyId!: string | null;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { nullable: true }) before!: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) after!: Record<string, unknown> | null;
}

@InputType()
export class CaseEventFilterInput {
  @Field(() => ID, { nullable: true }) caseId?: string;
  @Field(() => DivisionCodeScalar, { nullable: true, description: 'This region and every region below it' }) regionCode?: string;
  @Field(() => ID, { nullable: true, description: 'The owning inspection agency' }) agencyId?: string;
  @Field(() => ID, { nullable: true }) employerId?: string;
  @Field(() => ID, { nullable: true }) projectId?: string;
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
    @Arg('filter', () => CaseEventFilterInput, { nullable: true }) _filter?: CaseEventFilterInput,
    @Arg('after', () => String, { nullable: true }) _after?: string,
  ): CaseEventMessage {
    return { ...entry, payload: entryPayloadFor(ctx.actor, entry.payload) };
  }
}
