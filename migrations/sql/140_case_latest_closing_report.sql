-- 结案报告: a case's latest closing report, the one reading of it for everything that asks (approveClosing in
-- src/processes/closure/closure.service.ts, the loaders' closingReports behind Case.availableActions, and the agency
-- tasks' 结案审批 in src/processes/agency-tasks.ts), so "the latest" cannot mean different reports in different places.
--
-- The latest is the CLOSING_REPORT_SUBMITTED entry last written to the case file: the highest `seq`. `seq` is the
-- case's version when the entry was written (writers of a case queue on its row), and unique per case (the table's
-- unique (case_id, seq)), so two reports of a case never tie and no further key is needed. The entry's `at` is not
-- the order: it is the writing process's clock, and two processes' clocks may disagree where the row lock cannot.
-- Stable and a single query, so the planner inlines it into a lateral join (one index scan on (case_id, seq) per case).
create or replace function case_latest_closing_report(p_case_id uuid)
  returns table (seq integer, actor_user_id uuid, at timestamptz)
  language sql stable as $$
  select e.seq, e.actor_user_id, e.at
    from case_event e
   where e.case_id = p_case_id and e.type = 'CLOSING_REPORT_SUBMITTED'
   order by e.seq desc
   limit 1
$$;
