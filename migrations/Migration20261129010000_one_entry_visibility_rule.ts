import { Migration } from '@mikro-orm/migrations';

/**
 * One rule for which case-file entries an agency may see, in the database, called by every path that hands entries
 * out: the case read (`case { events }`), the case-event feed (subscriptions) and the webhook trigger. Before this,
 * the trigger applied none of it and sent an integrator the entries of processes it takes no part in.
 *
 * `case_process_visible_to`: a process is shown to labour inspection, to the procuratorate asked to supervise it,
 * and to the agencies that take part in it (the police once a referral has been sent). `seesProcess` in
 * src/auth/policy.ts says the same for a process already loaded; test/entry-visibility.test.ts checks they agree.
 * `case_entry_visible_to`: an entry is visible unless it belongs to a process the agency may not see.
 *
 * The webhook trigger becomes a deferred constraint trigger: it decides at commit, when the process and its parties
 * written in the same transaction as the entry are there to be read.
 */
export class Migration20261129010000_one_entry_visibility_rule extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function case_process_visible_to(p_agency uuid, p_process uuid) returns boolean
      language sql stable as $$
        select case
          when p_agency is null then false
          when exists (select 1 from agency a where a.id = p_agency and a.kind = 'HRSS_INSPECTION') then true
          else exists (select 1 from case_process px where px.id = p_process and px.facts->>'procuratorateAgencyId' = p_agency::text)
            or exists (select 1 from case_process px join process_party pp on pp.process_id = px.id
                        where px.id = p_process and pp.agency_id = p_agency
                          and not (px.kind = 'POLICE_REFERRAL' and px.facts->>'sentAt' is null))
        end
      $$;

      -- CASE, not OR: the branches are taken in order, so the cast to uuid only meets a well-formed id.
      create function case_entry_visible_to(p_agency uuid, p_payload jsonb) returns boolean
      language sql stable as $$
        select case
          when p_agency is null then false
          when p_payload->>'processId' is null then true
          -- an entry naming no known process belongs to the case itself
          when p_payload->>'processId' !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then true
          when not exists (select 1 from case_process px where px.id = (p_payload->>'processId')::uuid) then true
          else case_process_visible_to(p_agency, (p_payload->>'processId')::uuid)
        end
      $$;

      create or replace function case_event_webhooks() returns trigger language plpgsql as $$
      begin
        with made as (
          insert into webhook_delivery (endpoint_id, case_id, event_id)
          select ep.id, new.case_id, new.id from webhook_endpoint ep join wage_case c on c.id = new.case_id
           where ep.active and ep.channel = c.channel and case_entry_visible_to(ep.agency_id, new.payload)
          on conflict (endpoint_id, event_id) do nothing
          returning endpoint_id, case_id
        )
        insert into workflow_outbox (action, workflow_type, workflow_id, signal_name, args)
        select 'SIGNAL_WITH_START', 'webhookDelivery', 'webhook-' || made.endpoint_id || '-' || made.case_id, 'deliveriesPending',
               jsonb_build_array(jsonb_build_object('endpointId', made.endpoint_id, 'caseId', made.case_id, 'giveUpAfter', ep.give_up_seconds || 's'))
          from made join webhook_endpoint ep on ep.id = made.endpoint_id;
        return null;
      end $$;
      drop trigger case_event_webhooks on case_event;
      create constraint trigger case_event_webhooks after insert on case_event
        deferrable initially deferred for each row execute function case_event_webhooks();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists case_event_webhooks on case_event;
      create or replace function case_event_webhooks() returns trigger language plpgsql as $$
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
      drop function if exists case_entry_visible_to(uuid, jsonb);
      drop function if exists case_process_visible_to(uuid, uuid);
    `);
  }
}
