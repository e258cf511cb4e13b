import { Migration } from '@mikro-orm/migrations';

/**
 * Each region lists its ancestors and itself (from its path), so "this region and everything below it" is
 * `ancestors @> array[code]`: an array condition the planner estimates from the column's statistics. The
 * path-prefix join it replaces was estimated at one row whatever the region, and a city-wide caller's list
 * scanned every district's cases before applying the district filter.
 */
export class Migration20261124070000_region_ancestors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table region add column ancestors text[] generated always as (string_to_array(path, '/')) stored;
      analyze region;
    `);
  }

  override async down(): Promise<void> {
    this.addSql('alter table region drop column if exists ancestors;');
  }
}
