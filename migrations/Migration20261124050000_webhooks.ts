import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks back to the channels cases came from. An integrator registers an endpoint for its channel; every
 * case-file entry of a case from that channel becomes a delivery in the same transaction as the entry (a
 * trigger), and the outbox asks that case's delivery workflow to send it. Attempts are kept, for the dashboards
 * and for replays.
 */
export class Migration20261124050000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_endpoint (
        id uuid primary key,
        agency_id uuid not null references agency(id),
        channel text not null,
        url text not null,
        secret text not null,
        give_up_seconds integer not null default 86400 check (give_up_seconds > 0),
        active boolean not null default true,
        created_at timestamptz not null default now()
      );
      create index webhook_endpoint_channel_idx on webhook_endpoint (channel) where active;

      create table webhook_delivery (
        id bigserial primary key,
        endpoint_id uuid not null references webhook_endpoint(id),
        case_id uuid not null references wage_case(id),
        event_id bigint not null references case_event(id),
        status varchar(10) not null default 'PENDING' check (status in ('PENDING','DELIVERED','PARKED')),
        attempts integer not null default 0,
        last_error text null,
        created_at timestamptz not null default now(),
        delivered_at timestamptz null,
        unique (endpoint_id, event_id)
      );
      create index webhook_delivery_pending_idx on webhook_delivery (endpoint_id, case_id, event_id) where status = 'PENDING';

      create table webhook_attempt (
        id bigserial primary key,
        delivery_id bigint not null references webhook_delivery(id),
        at timestamptz not null default now(),
        status_code integer null,
        error text null
      );
      create index webhook_attempt_delivery_idx on webhook_attempt (delivery_id);

      alter table workflow_outbox drop constraint if exists workflow_outbox_action_check;
      alter table workflow_outbox add constraint workflow_outbox_action_check check (action in ('START','SIGNAL','SIGNAL_WITH_START'));

      create function case_event_webhooks() returns trigger language plpgsql as $$
      begin
        with made as (
          insert into webhook_delivery (endpoint_id, case_id, event_id)
          select ep.id, new.case_id, new.id from webhook_endpoint ep join wage_case c on c.id = new.case_id
           where ep.active and ep.channel = c.channel
          returning endpoint_id, case_id
        ), endpoint as (select id, give_up_seconds from webhook_endpoint)
        insert into workflow_outbox (action, workflow_type, workflow_id, signal_name, args)
        select 'SIGNAL_WITH_START', 'webhookDelivery', 'webhook-' || endpoint_id || '-' || case_id, 'deliveriesPending',
               jsonb_build_array(jsonb_build_object('endpointId', made.endpoint_id, 'caseId', made.case_id, 'giveUpAfter', endpoint.give_up_seconds || 's'))
          from made join endpoint on endpoint.id = made.endpoint_id;
        return null;
      end $$;
      create trigger case_event_webhooks after insert on case_event for each row execute function case_event_webhooks();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists case_event_webhooks on case_event;
      drop function if exists case_event_webhooks();
      drop table if exists webhook_attempt, webhook_delivery, webhook_endpoint;
    `);
  }
}
