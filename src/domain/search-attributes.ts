import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * The custom search attributes of Anxin's workflows in Temporal's visibility store (案件号, 区划, 承办机构, 流程,
 * 状态): what an operator types into the Temporal UI's filter to find a case's workflows, e.g.
 * `AnxinCaseNumber = '110102-2026-000123'`. All Keyword: matched exactly, never tokenised.
 *
 * Registered by the setup step: the embedded dev server starts with them (`--search-attribute Name=Keyword`, see
 * src/infra/temporal-dev-server.ts); a cluster gets them once with `temporal operator search-attribute create` or
 * `npm run temporal:search-attributes` (README "Production layout"). The workflows set them (workflows/process-kit.ts
 * `tagWithCase`) only where the namespace has them: on a server without them (the time-skipping test server) they
 * are left unset rather than failing the workflow.
 */
export const SEARCH_ATTRIBUTES = {
  /** The case number, `110102-2026-000123` (案件编号). */
  caseNumber: defineSearchAttributeKey('AnxinCaseNumber', SearchAttributeType.KEYWORD),
  /** The case's region, its division code (行政区划代码: a district's 6 digits, a street's 9), e.g. `110102003`. */
  region: defineSearchAttributeKey('AnxinRegion', SearchAttributeType.KEYWORD),
  /** The id of the agency that owns the case (承办机构; changes with an accepted handover). */
  owningAgency: defineSearchAttributeKey('AnxinOwningAgency', SearchAttributeType.KEYWORD),
  /** `caseLifecycle` for the case's own workflow, else the process workflow's type (`threeWayDispatch` …). */
  processKind: defineSearchAttributeKey('AnxinProcessKind', SearchAttributeType.KEYWORD),
  /** The case's status (案件状态: RECEIVED, ACCEPTED, IN_PROGRESS …) as of the workflow's last look. */
  caseStatus: defineSearchAttributeKey('AnxinCaseStatus', SearchAttributeType.KEYWORD),
} as const;

export const SEARCH_ATTRIBUTE_KEYS = Object.values(SEARCH_ATTRIBUTES);

/** What the `caseSearchFacts` activity reads from the database for a workflow's search attributes. */
export interface CaseSearchFacts {
  caseNumber: string;
  region: string;
  owningAgency: string;
  caseStatus: string;
}

/**
 * The five attributes of a case's workflow of type `processKind`: what a workflow upserts after a step and what the
 * outbox relay passes when it starts one (`workflowStartOptions`), built in this one place for both.
 */
export function caseSearchAttributePairs(processKind: string, facts: CaseSearchFacts): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.caseNumber, value: facts.caseNumber },
    { key: SEARCH_ATTRIBUTES.region, value: facts.region },
    { key: SEARCH_ATTRIBUTES.owningAgency, value: facts.owningAgency },
    { key: SEARCH_ATTRIBUTES.processKind, value: processKind },
    { key: SEARCH_ATTRIBUTES.caseStatus, value: facts.caseStatus },
  ];
}
