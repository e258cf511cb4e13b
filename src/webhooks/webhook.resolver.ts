import { DateTimeResolver } from 'graphql-scalars';
import type { WebhookService } from './webhook.service';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { pageSize } from '../api/pagination';

@ObjectType('WebhookEndpoint', { description: 'Where an integrator wants its channel’s case entries POSTed, signed' })
export class WebhookEndpointType {
  @Field(() => ID, { description: "The endpoint's id" }) id!: string;
  @Field({ description: "The integrator's channel whose cases' events the endpoint receives" }) channel!: string;
  @Field({ description: 'Where the events are POSTed' }) url!: string;
  @Field(() => Int, { description: 'How long a delivery is retried before it is given up, in seconds' }) giveUpAfterSeconds!: number;
  @Field({ description: 'Whether events are still sent to it' }) active!: boolean;
  @Field(() => DateTimeResolver, { description: 'When it was registered (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeResolver, { description: 'When it was deactivated (UTC); null while active', nullable: true })
  deactivatedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the signing secret was last replaced' })
  secretRotatedAt!: Date | null;
}

@ObjectType('WebhookAttempt', { description: 'One try to deliver a webhook' })
export class WebhookAttemptType {
  @Field(() => DateTimeResolver, { description: 'When it was tried (UTC)' }) at!: Date;
  @Field(() => Int, { description: 'The HTTP status the endpoint answered; null when it did not answer', nullable: true }) statusCode!:
    number | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed, as a code: http-<status>, redirect-not-followed, timeout, refused, address-not-allowed, url-not-allowed, tls, dns or network',
  })
  error!: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One case entry sent (or being sent) to one endpoint' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: "The delivery's id" }) id!: string;
  @Field(() => ID, { description: 'The endpoint it is sent to' }) endpointId!: string;
  @Field({ description: 'The case whose event it carries' }) caseNumber!: string;
  @Field({ description: 'The type of the case event it carries' }) eventType!: string;
  @Field(() => Int, { description: "The event's sequence number in the case file" }) seq!: number;
  @Field({ description: 'PENDING, DELIVERED or PARKED (given up; an administrator may replay it)' }) status!: string;
  @Field(() => Int, { description: 'How many times it was sent' }) attemptCount!: number;
  @Field(() => String, {
    nullable: true,
    description: 'The last attempt’s error code (see WebhookAttempt.error), endpoint-deactivated, not-visible or gave-up',
  })
  lastError!: string | null;
  @Field(() => DateTimeResolver, { description: 'When the delivery was queued (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeResolver, { description: 'When the endpoint accepted it (UTC); null until then', nullable: true })
  deliveredAt!: Date | null;
}

@InputType({ description: "An endpoint where an integrator receives its cases' events" })
export class RegisterWebhookInput {
  @Field({ description: 'Where to POST the events' }) url!: string;
  @Field({ description: '32 to 256 characters; signs every POST (HMAC-SHA256 over "<timestamp>.<body>")' }) secret!: string;
  @Field(() => Int, { nullable: true, description: 'How long one delivery is retried before it is parked (default one day)' })
  giveUpAfterSeconds?: number;
}

@InputType({ description: 'A new signing secret for an endpoint' })
export class RotateWebhookSecretInput {
  @Field(() => ID, { description: 'The endpoint whose signing secret is replaced' }) id!: string;
  @Field({ description: 'The new secret, 32 to 256 characters; it signs from the next POST on, and the old one no longer does' })
  secret!: string;
}

@Resolver(() => WebhookDeliveryType)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Mutation(() => WebhookEndpointType, {
    description:
      'An integrator registers an endpoint for its own channel; registering the same URL again while it is active answers the same endpoint',
  })
  async registerWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What registerWebhook needs (see RegisterWebhookInput)' }) input: RegisterWebhookInput,
  ): Promise<WebhookEndpointType> {
    return toEndpoint(await this.webhooks.register(ctx, input));
  }

  @Query(() => [WebhookEndpointType], {
    description: 'An integrator’s own webhook endpoints, newest first (their secrets are never shown)',
  })
  async webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpointType[]> {
    return (await this.webhooks.endpoints(ctx)).map(toEndpoint);
  }

  @Mutation(() => WebhookEndpointType, {
    description: 'Stops an endpoint: nothing more is sent to it, and its pending deliveries are parked',
  })
  async deactivateWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The endpoint to deactivate' }) id: string,
  ): Promise<WebhookEndpointType> {
    return toEndpoint(await this.webhooks.deactivate(ctx, id));
  }

  @Mutation(() => WebhookEndpointType, { description: 'Replaces an active endpoint’s signing secret; the old one stops signing at once' })
  async rotateWebhookSecret(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What rotateWebhookSecret needs (see RotateWebhookSecretInput)' }) input: RotateWebhookSecretInput,
  ): Promise<WebhookEndpointType> {
    return toEndpoint(await this.webhooks.rotateSecret(ctx, input.id, input.secret));
  }

  @Query(() => [WebhookDeliveryType], {
    description: 'Webhook deliveries, newest first: an integrator’s own, or those of the cases a director of labour inspection may see',
  })
  async webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => String, {
      description: 'Only deliveries in this state: PENDING, DELIVERED or PARKED (given up, or its endpoint deactivated)',
      nullable: true,
    })
    status?: string,
    @Arg('first', () => Int, { description: 'At most this many deliveries, newest first', nullable: true }) first?: number,
  ): Promise<WebhookDeliveryType[]> {
    return (await this.webhooks.deliveries(ctx, { status, first: pageSize(first) })).map(toDelivery);
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Send a delivery again (an administrator, or its integrator)' })
  async replayWebhookDelivery(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => String, { description: 'The delivery to send again' }) id: string,
  ): Promise<WebhookDeliveryType> {
    return toDelivery(await this.webhooks.replay(ctx, id));
  }

  @FieldResolver(() => [WebhookAttemptType], { description: 'Each try, oldest first' })
  async attempts(@Ctx() ctx: RequestContext, @Root() d: WebhookDeliveryType): Promise<WebhookAttemptType[]> {
    return (await ctx.loaders.webhookAttempts.load(d.id)).map((a) => ({ at: a.at, statusCode: a.status_code, error: a.error }));
  }
}

function toEndpoint(r: import('./webhook.service').WebhookEndpointRow): WebhookEndpointType {
  return {
    id: r.id,
    channel: r.channel,
    url: r.url,
    giveUpAfterSeconds: r.give_up_seconds,
    active: r.active,
    createdAt: r.created_at,
    deactivatedAt: r.deactivated_at,
    secretRotatedAt: r.secret_rotated_at,
  };
}

function toDelivery(r: import('./webhook.service').WebhookDeliveryRow): WebhookDeliveryType {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    caseNumber: r.case_number,
    eventType: r.event_type,
    seq: r.seq,
    status: r.status,
    attemptCount: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}
