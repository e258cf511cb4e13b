import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { pageSize } from '../api/pagination';

@ObjectType('WebhookEndpoint', { description: 'Where an integrator wants its channel’s case entries POSTed, signed' })
export class WebhookEndpointType {
  @Field(() => ID) id!: string;
  @Field() channel!: string;
  @Field() url!: string;
  @Field(() => Int) giveUpAfterSeconds!: number;
  @Field() active!: boolean;
  @Field(() => DateTimeResolver) createdAt!: Date;
}

@ObjectType('WebhookAttempt')
export class WebhookAttemptType {
  @Field(() => DateTimeResolver) at!: Date;
  @Field(() => Int, { nullable: true }) statusCode!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One case entry sent (or being sent) to one endpoint' })
export class WebhookDeliveryType {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field() caseNumber!: string;
  @Field() eventType!: string;
  @Field(() => Int) seq!: number;
  @Field({ description: 'PENDING, DELIVERED or PARKED (given up; an administrator may replay it)' }) status!: string;
  @Field(() => Int, { description: 'How many times it was sent' }) attemptCount!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) deliveredAt!: Date | null;
}

@InputType()
export class RegisterWebhookInput {
  @Field() url!: string;
  @Field({ description: 'At least 32 characters; signs every POST (HMAC-SHA256 over "<timestamp>.<body>")' }) secret!: string;
  @Field(() => Int, { nullable: true, description: 'How long one delivery is retried before it is parked (default one day)' }) giveUpAfterSeconds?: number;
}

@Resolver(() => WebhookDeliveryType)
export class WebhookResolver {
  @Mutation(() => WebhookEndpointType, { description: 'An integrator registers an endpoint for its own channel' })
  async registerWebhook(@Ctx() ctx: RequestContext, @Arg('input') input: RegisterWebhookInput): Promise<WebhookEndpointType> {
    const r = await ctx.services.webhooks.register(ctx, input);
    return { id: r.id, channel: r.channel, url: r.url, giveUpAfterSeconds: r.give_up_seconds, active: r.active, createdAt: r.created_at };
  }

  @Query(() => [WebhookDeliveryType], { description: 'Webhook deliveries, newest first: an integrator’s own, or all for a director' })
  async webhookDeliveries(@Ctx() ctx: RequestContext, @Arg('status', () => String, { nullable: true }) status?: string, @Arg('first', () => Int, { nullable: true }) first?: number): Promise<WebhookDeliveryType[]> {
    return (await ctx.services.webhooks.deliveries(ctx, { status, first: pageSize(first) })).map(toDelivery);
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Send a delivery again (an administrator, or its integrator)' })
  async replayWebhookDelivery(@Ctx() ctx: RequestContext, @Arg('id', () => String) id: string): Promise<WebhookDeliveryType> {
    return toDelivery(await ctx.services.webhooks.replay(ctx, id));
  }

  @FieldResolver(() => [WebhookAttemptType])
  async attempts(@Ctx() ctx: RequestContext, @Root() d: WebhookDeliveryType): Promise<WebhookAttemptType[]> {
    return (await ctx.loaders.webhookAttempts.load(d.id)).map((a) => ({ at: a.at, statusCode: a.status_code, error: a.error }));
  }
}

function toDelivery(r: import('./webhook.service').WebhookDeliveryRow): WebhookDeliveryType {
  return { id: r.id, endpointId: r.endpoint_id, caseNumber: r.case_number, eventType: r.event_type, seq: r.seq, status: r.status, attemptCount: r.attempts, lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at };
}
