-- The one writer of the workflow outbox: every row is written here, in the caller's transaction, whether it comes
-- from TypeScript (src/outbox/outbox.ts), from intake_complaint or from the webhook trigger. The relay
-- (src/outbox/outbox-relay.ts) delivers it. test/one-writer.test.ts checks nothing else inserts into the table.
create or replace function outbox_append(p_action text, p_workflow_type text, p_workflow_id text, p_signal_name text, p_args jsonb)
returns bigint language sql as $$
  insert into workflow_outbox (action, workflow_type, workflow_id, signal_name, args)
  values (p_action, p_workflow_type, p_workflow_id, p_signal_name, coalesce(p_args, '[]'::jsonb))
  returning id
$$;

-- The id of the workflow that delivers one endpoint's entries of one case, for the trigger below and for the
-- webhook service's replay alike.
create or replace function webhook_delivery_workflow_id(p_endpoint uuid, p_case uuid) returns text language sql immutable as $$
  select 'webhook-' || p_endpoint || '-' || p_case
$$;

-- Wakes (or starts) the delivery workflow of an endpoint and a case: it sends what is pending.
create or replace function webhook_deliveries_pending(p_endpoint uuid, p_case uuid) returns bigint language sql as $$
  select outbox_append('SIGNAL_WITH_START', 'webhookDelivery', webhook_delivery_workflow_id(ep.id, p_case), 'deliveriesPending',
                       jsonb_build_array(jsonb_build_object('endpointId', ep.id, 'caseId', p_case, 'giveUpAfter', ep.give_up_seconds || 's')))
    from webhook_endpoint ep where ep.id = p_endpoint
$$;
