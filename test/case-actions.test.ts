import { availableCaseActions, CASE_ACTION_KINDS, extendable } from '../src/policy/case-actions';

/**
 * Case.availableActions (the steps a client offers) follows the rules the services apply: labour inspection only,
 * by role (CASE_ACTION_ROLES, PROCESS_STARTERS), by the case's status, and a dispatch only by the owning agency.
 */
describe('the steps a caller may take on a case', () => {
  const hrss = (roles: string[], agencyId = 'xc') => ({ agencyId, agencyKind: 'HRSS_INSPECTION', roles });
  const ownRegion = { inRegionOfActor: true, heldByGrant: false };
  const received = { status: 'RECEIVED', owningAgency: 'xc', ...ownRegion };
  const inProgress = { status: 'IN_PROGRESS', owningAgency: 'xc', ...ownRegion };
  /** What any caseworker of the owning agency may do on a case in handling beyond the case's first steps. */
  const IN_HANDLING_BY_CASEWORKER = [
    'ROSTER',
    'VIOLATION_PERIOD',
    'INVESTIGATE',
    'HAND_OVER',
    'REFER_OUTSIDE',
    'MEDIATE',
    'MEDIATION_SESSION',
    'POLICE_REFERRAL',
  ];
  /** The same for a supervisor (or director), who also names the investigating team (before recording in it). */
  const IN_HANDLING_BY_SUPERVISOR = IN_HANDLING_BY_CASEWORKER.flatMap((k) => (k === 'INVESTIGATE' ? ['INVESTIGATION_TEAM', k] : [k]));

  it('a clerk records the contact, and decides nothing', () => {
    expect(availableCaseActions(hrss(['INTAKE_CLERK']), received)).toEqual(['CONTACT']);
  });

  it('an inspector accepts or rejects a received case and dispatches it; pays only once it is accepted', () => {
    expect(availableCaseActions(hrss(['INSPECTOR']), received)).toEqual([
      'CONTACT',
      'ACCEPT',
      'REJECT',
      'DISPATCH',
      'ROSTER',
      'VIOLATION_PERIOD',
      'TRANSFER',
      'HAND_OVER',
      'REFER_OUTSIDE',
    ]);
    expect(availableCaseActions(hrss(['INSPECTOR']), inProgress)).toEqual([
      'CONTACT',
      'PAYMENT',
      'DISPATCH',
      'PENALTY',
      ...IN_HANDLING_BY_CASEWORKER,
    ]);
  });

  it('a supervisor also assigns the lead; a closed case takes none of these steps', () => {
    expect(availableCaseActions(hrss(['SUPERVISOR']), inProgress)).toEqual([
      'CONTACT',
      'ASSIGN_LEAD',
      'PAYMENT',
      'DISPATCH',
      'ORDER_TO_PAY',
      'PENALTY',
      ...IN_HANDLING_BY_SUPERVISOR,
    ]);
    expect(availableCaseActions(hrss(['SUPERVISOR']), { status: 'CLOSED', owningAgency: 'xc', ...ownRegion })).toEqual([]);
  });

  it('another inspection agency that sees the case (the city) does not dispatch it', () => {
    expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), inProgress)).not.toContain('DISPATCH');
  });

  it('协查: an agency that only reads the case takes none of its steps; the owner, wherever it is, takes them', () => {
    // The case's region while another region's agency owns it.
    const heldByTianjin = { status: 'IN_PROGRESS', owningAgency: 'tj', inRegionOfActor: true, heldByGrant: true };
    expect(availableCaseActions(hrss(['SUPERVISOR']), heldByTianjin)).toEqual([]);
    // A pending receiver or a former owner: not the owner, not its region.
    const elsewhere = { status: 'IN_PROGRESS', owningAgency: 'xc', inRegionOfActor: false, heldByGrant: false };
    expect(availableCaseActions(hrss(['DIRECTOR'], 'tj'), elsewhere)).toEqual([]);
    // The cross-region owner takes its steps.
    expect(availableCaseActions(hrss(['SUPERVISOR'], 'tj'), heldByTianjin)).toEqual([
      'CONTACT',
      'ASSIGN_LEAD',
      'PAYMENT',
      'DISPATCH',
      'ORDER_TO_PAY',
      'PENALTY',
      ...IN_HANDLING_BY_SUPERVISOR,
    ]);
  });

  it('agencies outside labour inspection, and anonymous callers, get none', () => {
    for (const kind of ['DISTRICT_GOVERNMENT', 'POLICE', 'CONTRACTOR_HQ', 'INTEGRATOR'])
      expect(
        availableCaseActions({ agencyId: 'xc', agencyKind: kind, roles: ['OFFICER', 'DIRECTOR', 'LIAISON', 'INTEGRATOR'] }, received),
      ).toEqual([]);
    expect(availableCaseActions(undefined, received)).toEqual([]);
  });

  it('结案审批: a supervisor or director of the owning agency approves a resolved case’s closing report someone else wrote', () => {
    const resolved = (authorUserId: string | null | undefined) => ({
      status: 'RESOLVED',
      owningAgency: 'xc',
      ...ownRegion,
      closingReport: authorUserId === undefined ? null : { authorUserId },
    });
    const as = (roles: string[], userId = 'me', agencyId = 'xc') => ({ ...hrss(roles, agencyId), userId });
    expect(availableCaseActions(as(['SUPERVISOR']), resolved('inspector'))).toContain('APPROVE_CLOSING');
    expect(availableCaseActions(as(['DIRECTOR']), resolved(null))).toContain('APPROVE_CLOSING');
    // Not its author, not an inspector, not without a report, not another agency (the city sees it, does not own it).
    expect(availableCaseActions(as(['SUPERVISOR']), resolved('me'))).not.toContain('APPROVE_CLOSING');
    expect(availableCaseActions(as(['INSPECTOR']), resolved('other'))).not.toContain('APPROVE_CLOSING');
    expect(availableCaseActions(as(['DIRECTOR']), resolved(undefined))).not.toContain('APPROVE_CLOSING');
    expect(availableCaseActions(as(['DIRECTOR'], 'me', 'city'), resolved('other'))).not.toContain('APPROVE_CLOSING');
    expect(availableCaseActions(as(['DIRECTOR']), { ...inProgress, closingReport: { authorUserId: 'other' } })).not.toContain(
      'APPROVE_CLOSING',
    );
  });

  it('责令限期支付 by a supervisor or director, 行政处罚 proposed by a caseworker, of the owning agency on a case in handling', () => {
    expect(availableCaseActions(hrss(['SUPERVISOR']), inProgress)).toEqual(expect.arrayContaining(['ORDER_TO_PAY', 'PENALTY']));
    expect(availableCaseActions(hrss(['INSPECTOR']), inProgress)).toContain('PENALTY');
    expect(availableCaseActions(hrss(['INSPECTOR']), inProgress)).not.toContain('ORDER_TO_PAY');
    expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), inProgress)).not.toContain('ORDER_TO_PAY');
    expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), inProgress)).not.toContain('PENALTY');
    expect(availableCaseActions(hrss(['SUPERVISOR']), { ...inProgress, status: 'RECEIVED' })).not.toContain('ORDER_TO_PAY');
    expect(availableCaseActions(hrss(['SUPERVISOR']), { ...inProgress, status: 'RESOLVED' })).not.toContain('PENALTY');
  });

  it('延期: a supervisor or director of the owning agency, once, before the resolution clock runs out', () => {
    const extendableCase = { ...inProgress, extendable: true };
    expect(availableCaseActions(hrss(['SUPERVISOR']), extendableCase)).toContain('EXTEND');
    expect(availableCaseActions(hrss(['DIRECTOR']), extendableCase)).toContain('EXTEND');
    expect(availableCaseActions(hrss(['INSPECTOR']), extendableCase)).not.toContain('EXTEND');
    expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), extendableCase)).not.toContain('EXTEND');
    // Already extended, or run out (extendable false), or not in handling.
    expect(availableCaseActions(hrss(['SUPERVISOR']), inProgress)).not.toContain('EXTEND');
    expect(availableCaseActions(hrss(['SUPERVISOR']), { ...extendableCase, status: 'RESOLVED' })).not.toContain('EXTEND');
    const due = new Date('2026-12-10T16:00:00Z');
    expect(extendable({ resolutionDue: due, resolutionExtendedDue: null }, new Date('2026-12-10T15:59:59Z'))).toBe(true);
    expect(extendable({ resolutionDue: due, resolutionExtendedDue: null }, new Date('2026-12-10T16:00:01Z'))).toBe(false);
    expect(
      extendable({ resolutionDue: due, resolutionExtendedDue: new Date('2027-01-20T16:00:00Z') }, new Date('2026-12-01T00:00:00Z')),
    ).toBe(false);
    expect(extendable({ resolutionDue: null, resolutionExtendedDue: null }, new Date('2026-12-01T00:00:00Z'))).toBe(false);
  });

  it('the roster and the violation period by any caseworker that may change the case; a transfer only before handling', () => {
    expect(availableCaseActions(hrss(['INTAKE_CLERK']), inProgress)).not.toContain('ROSTER');
    // The city's director, who may change a case of its district, keeps its roster; the resolved case's roster too.
    expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), inProgress)).toEqual(expect.arrayContaining(['ROSTER', 'VIOLATION_PERIOD']));
    expect(availableCaseActions(hrss(['INSPECTOR']), { ...inProgress, status: 'RESOLVED' })).toContain('ROSTER');
    expect(availableCaseActions(hrss(['INSPECTOR']), { ...inProgress, status: 'RESOLVED' })).not.toContain('VIOLATION_PERIOD');
    expect(availableCaseActions(hrss(['INSPECTOR']), { ...inProgress, status: 'ACCEPTED' })).toContain('TRANSFER');
    expect(availableCaseActions(hrss(['INSPECTOR']), inProgress)).not.toContain('TRANSFER');
  });

  it('the investigation and the processes only by the owning agency; a mediation session also by its mediators', () => {
    for (const kind of [
      'INVESTIGATE',
      'INVESTIGATION_TEAM',
      'HAND_OVER',
      'REFER_OUTSIDE',
      'MEDIATE',
      'POLICE_REFERRAL',
      'MEDIATION_SESSION',
    ])
      expect(availableCaseActions(hrss(['DIRECTOR'], 'city'), inProgress)).not.toContain(kind);
    expect(availableCaseActions(hrss(['INSPECTOR']), inProgress)).not.toContain('INVESTIGATION_TEAM');
    expect(availableCaseActions(hrss(['MEDIATOR']), inProgress)).toEqual(['MEDIATION_SESSION']);
    // A mediation or a referral starts on a case in handling; a handover or a referral outside on any open case.
    expect(availableCaseActions(hrss(['INSPECTOR']), received)).not.toContain('MEDIATE');
    expect(availableCaseActions(hrss(['INSPECTOR']), received)).not.toContain('POLICE_REFERRAL');
    expect(availableCaseActions(hrss(['INSPECTOR']), received)).toEqual(expect.arrayContaining(['HAND_OVER', 'REFER_OUTSIDE']));
  });

  it('names every kind in the enum', () => {
    expect([...CASE_ACTION_KINDS].sort()).toEqual([
      'ACCEPT',
      'APPROVE_CLOSING',
      'ASSIGN_LEAD',
      'CONTACT',
      'DISPATCH',
      'EXTEND',
      'HAND_OVER',
      'INVESTIGATE',
      'INVESTIGATION_TEAM',
      'MEDIATE',
      'MEDIATION_SESSION',
      'ORDER_TO_PAY',
      'PAYMENT',
      'PENALTY',
      'POLICE_REFERRAL',
      'REFER_OUTSIDE',
      'REJECT',
      'ROSTER',
      'TRANSFER',
      'VIOLATION_PERIOD',
    ]);
  });
});
