-- Every case-file entry of a case a complaint of which came on a channel with an active endpoint (the channel that
-- opened it or one whose complaint joined it: case_complainant.channel, as the integrator's case scope in
-- src/policy/case-scope.ts) becomes a delivery, in the same transaction as the entry, if the endpoint's agency may
-- see it (case_entry_visible_to); the outbox then asks that case's
-- delivery workflow to send it. A deferred constraint trigger: it decides at commit, when the process and its
-- parties written in the same transaction as the entry are there to be read.
create or replace function case_event_webhooks() returns trigger language plpgsql as $$
declare
  d record;
begin
  for d in
    insert into webhook_delivery (endpoint_id, case_id, event_id)
    select ep.id, new.case_id, new.id from webhook_endpoint ep
     where ep.active and exists (select 1 from case_complainant cc where cc.case_id = new.case_id and cc.channel = ep.channel)
       and case_entry_visible_to(ep.agency_id, new.payload)
    on conflict (endpoint_id, event_id) do nothing
    returning endpoint_id, case_id
  loop
    perform webhook_deliveries_pending(d.endpoint_id, d.case_id);
  end loop;
  return null;
end $$;

drop trigger if exists case_event_webhooks on case_event;
create constraint trigger case_event_webhooks after insert on case_event
  deferrable initially deferred for each row execute function case_event_webhooks();
