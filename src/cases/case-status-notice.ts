/**
 * 告知投诉人 in the public lookup: the text of the latest notice on a case — a `NOTICE` entry (closing, callback),
 * or the `notice` a milestone's own entry carries (acceptance, resolution: their entries keep their place in the
 * file, the notice rides on them). One SQL expression over `wage_case c`, used inside the lookup's statement.
 */
export const LATEST_NOTICE_SQL = `(
  select coalesce(e.payload->>'text', e.payload->'notice'->>'text') from case_event e
   where e.case_id = c.id and (e.type = 'NOTICE' or e.payload->'notice' is not null)
   order by e.seq desc limit 1)`;
