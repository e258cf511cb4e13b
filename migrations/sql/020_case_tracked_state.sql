-- The tracked state of a case, as src/cases/case-file.ts snapshot() writes it into the case file (tests keep the
-- two equal: test/cases.test.ts, test/one-writer.test.ts).
create or replace function case_tracked_state(c wage_case) returns jsonb language sql stable as $$
  select jsonb_build_object(
    'status', c.status,
    'employer', c.employer_id,
    'project', c.project_id,
    'leadInspector', c.lead_inspector_id,
    'amountRecoveredFen', c.amount_recovered_fen,
    'firstContactAt', iso_instant(c.first_contact_at),
    'acceptedAt', iso_instant(c.accepted_at),
    'resolutionDue', iso_instant(c.resolution_due),
    'resolutionExtendedDue', iso_instant(c.resolution_extended_due),
    'resolvedAt', iso_instant(c.resolved_at),
    'outcomeNote', c.outcome_note,
    'transferredTo', c.transferred_to)
$$;
