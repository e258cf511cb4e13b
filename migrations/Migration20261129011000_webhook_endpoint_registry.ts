import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints an integrator can list, deactivate and re-key, and a registration that is safe to retry: one
 * active endpoint per integrator and URL. `registerWebhook` used to store the endpoint and then fail to answer, so
 * clients retried and made duplicates, each receiving every entry again: of each such set the oldest stays active
 * and the others are deactivated (their pending deliveries parked), before the unique index goes on. Errors
 * recorded before attempts kept to a vocabulary of codes are turned into codes.
 */
export class Migration20261129011000_webhook_endpoint_registry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table webhook_endpoint add column deactivated_at timestamptz null, add column secret_rotated_at timestamptz null;

      with ranked as (
        select id, row_number() over (partition by agency_id, url order by created_at, id) as n from webhook_endpoint where active
      ), dropped as (
        update webhook_endpoint ep set active = false, deactivated_at = now() from ranked where ranked.id = ep.id and ranked.n > 1 returning ep.id
      )
      update webhook_delivery d set status = 'PARKED', last_error = 'endpoint-deactivated' from dropped where d.endpoint_id = dropped.id and d.status = 'PENDING';

      create unique index webhook_endpoint_one_active_per_url on webhook_endpoint (agency_id, url) where active;

      -- Attempts used to record the remote side's words and error messages; what was recorded becomes a code.
      update webhook_attempt set error = case when error ~ '^endpoint answered [0-9]{3}$' then 'http-' || substring(error from '[0-9]{3}$') else 'network' end
       where error is not null and error !~ '^(http-[0-9]{3}|timeout|refused|address-not-allowed|url-not-allowed|redirect-not-followed|tls|dns|network)$';
      update webhook_delivery set last_error = case when last_error ~ 'endpoint answered [0-9]{3}' then 'http-' || substring(last_error from 'endpoint answered ([0-9]{3})') else 'network' end
       where last_error is not null and last_error !~ '^(http-[0-9]{3}|timeout|refused|address-not-allowed|url-not-allowed|redirect-not-followed|tls|dns|network|endpoint-deactivated|not-visible|gave-up)$';
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index if exists webhook_endpoint_one_active_per_url;
      alter table webhook_endpoint drop column if exists deactivated_at, drop column if exists secret_rotated_at;
    `);
  }
}
