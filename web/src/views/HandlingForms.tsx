import dayjs from 'dayjs';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { CasePageQuery } from '../gql/graphql';
import { beijing } from '../labels';
import { key, StepForm } from './StepForm';
import { useInspectorOptions } from './RecordForms';

type CaseData = CasePageQuery['case'];
type Process = CaseData['processes'][number];

const ApproveExtension = graphql(`
  mutation CaseApproveExtension($input: ApproveExtensionInput!) {
    approveExtension(input: $input) {
      id
      version
    }
  }
`);
const TransferCase = graphql(`
  mutation CaseTransfer($input: TransferCaseInput!) {
    transferCase(input: $input) {
      id
      version
      status
    }
  }
`);
const HandOverCase = graphql(`
  mutation CaseHandOver($input: HandOverCaseInput!) {
    handOverCase(input: $input) {
      id
      status
    }
  }
`);
const ReferOutside = graphql(`
  mutation CaseReferOutside($input: ReferCaseOutsideInspectionInput!) {
    referCaseOutsideInspection(input: $input) {
      id
      status
    }
  }
`);
const ConveneMediation = graphql(`
  mutation CaseConveneMediation($input: ConveneMediationInput!) {
    conveneMediation(input: $input) {
      id
      status
    }
  }
`);
const RecordMediationSession = graphql(`
  mutation CaseRecordMediationSession($input: RecordSessionInput!) {
    recordMediationSession(input: $input) {
      id
      status
    }
  }
`);
const ProposePoliceReferral = graphql(`
  mutation CaseProposePoliceReferral($input: ProposePoliceReferralInput!) {
    proposePoliceReferral(input: $input) {
      id
      status
    }
  }
`);
const Agencies = graphql(`
  query HandlingAgencies {
    agencies {
      id
      name
      kind
    }
  }
`);

/** The bodies a case may be referred to outside labour inspection (转介; the API's EXTERNAL_REFERRAL_RECEIVER_KINDS). */
const OUTSIDE_KINDS = ['COURT', 'JUSTICE_BUREAU', 'LABOUR_ARBITRATION', 'WORK_INJURY_OFFICE'];

function useAgencies() {
  const [result] = useQuery({ query: Agencies });
  const all = result.data?.agencies ?? [];
  return (keep: (a: (typeof all)[number]) => boolean) => all.filter(keep).map((a) => ({ value: a.id, label: a.name }));
}

/**
 * The steps that change who handles the case or for how long, each offered where `availableActions` lists it:
 * 延期 (`EXTEND`), 移交告知 (`TRANSFER`), 移交 to another inspection agency (`HAND_OVER`), 转介 (`REFER_OUTSIDE`),
 * 联合调处 (`MEDIATE`) and 移送公安 (`POLICE_REFERRAL`). A process of a kind already under way is not offered again
 * (the API's rule too).
 */
export function HandlingForms({ c, onDone }: { c: CaseData; onDone(): void }) {
  const may = (a: string) => c.availableActions.includes(a as CaseData['availableActions'][number]);
  const agencies = useAgencies();
  const inspectors = useInspectorOptions(c, may('POLICE_REFERRAL'));
  const open = (kind: string) => c.processes.some((p) => p.kind === kind && !p.endedAt);
  // A missed order to pay in Anxin is the referral's ground; its dates are then not typed (the API reads them).
  const missedOrder = c.processes.some((p) => p.kind === 'ORDER_TO_PAY' && ['MISSED', 'COMPENSATION_ORDERED'].includes(p.status));
  return (
    <>
      {may('EXTEND') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '延期审批',
            name: 'approveExtension',
            testId: 'extension',
            hint: `办结期限 ${beijing(c.deadlines.resolution)}；情况复杂的，经批准可延长 30 个工作日（劳动保障监察条例 第十七条），仅一次。`,
            doc: ApproveExtension,
            fields: [{ name: 'reason', label: '延期理由', kind: 'textarea' }],
            input: (v) => ({ caseId: c.id, reason: v.reason ?? '', idempotencyKey: key() }),
            submit: '批准延期',
            done: '已批准延期',
          }}
        />
      )}
      {may('HAND_OVER') && !open('HANDOVER') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '移交其他监察机构（首问负责）',
            name: 'handOverCase',
            testId: 'handover-start',
            hint: '接收单位确认接收后，承办单位才变更。',
            doc: HandOverCase,
            fields: [
              {
                name: 'toAgencyId',
                label: '接收单位',
                kind: 'enum',
                options: agencies((a) => a.kind === 'HRSS_INSPECTION' && a.id !== c.owningAgency.id),
              },
              { name: 'reason', label: '移交理由', kind: 'textarea' },
            ],
            input: (v) => ({ caseId: c.id, toAgencyId: v.toAgencyId ?? '', reason: v.reason ?? '' }),
            submit: '移交',
            done: '已发起移交',
          }}
        />
      )}
      {may('REFER_OUTSIDE') && !open('EXTERNAL_REFERRAL') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '转介（法院、法律援助、仲裁、工伤认定）',
            name: 'referCaseOutsideInspection',
            testId: 'refer-outside',
            doc: ReferOutside,
            fields: [
              { name: 'receiverAgencyId', label: '接收机构', kind: 'enum', options: agencies((a) => OUTSIDE_KINDS.includes(a.kind)) },
              { name: 'grounds', label: '转介理由', kind: 'textarea' },
            ],
            input: (v) => ({ caseId: c.id, receiverAgencyId: v.receiverAgencyId ?? '', grounds: v.grounds ?? '' }),
            submit: '转介',
            done: '已转介',
          }}
        />
      )}
      {may('MEDIATE') && !open('MEDIATION') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '联合调处',
            name: 'conveneMediation',
            testId: 'mediation-start',
            doc: ConveneMediation,
            initial: { parties: [{ role: 'GENERAL_CONTRACTOR', name: c.employer?.name ?? c.employerNameGiven ?? '' }] },
            fields: [
              {
                name: 'parties',
                label: '当事各方',
                kind: 'list',
                columns: [
                  { name: 'role', label: '身份', kind: 'enum', enum: 'MediationPartyRole' },
                  { name: 'name', label: '名称', kind: 'text' },
                ],
              },
              {
                name: 'agencyIds',
                label: '参加部门',
                kind: 'multi',
                options: agencies((a) => a.kind !== 'INTEGRATOR' && a.id !== c.owningAgency.id),
              },
            ],
            input: (v) => ({
              caseId: c.id,
              parties: (v.parties ?? []).map((p: { role?: string; name?: string }) => ({ role: p.role ?? '', name: p.name ?? '' })),
              agencyIds: v.agencyIds ?? [],
            }),
            submit: '发起联合调处',
            done: '已发起联合调处',
          }}
        />
      )}
      {may('POLICE_REFERRAL') && !open('POLICE_REFERRAL') && (
        <StepForm
          key={`referral-${inspectors.length}`}
          onDone={onDone}
          spec={{
            title: '移送公安机关（拟移送）',
            name: 'proposePoliceReferral',
            testId: 'referral-propose',
            hint: missedOrder
              ? '本案限期支付已逾期未履行，据此移送。'
              : '本案没有逾期未履行的限期支付指令：请填写在本系统外签发的指令的日期与期限。',
            doc: ProposePoliceReferral,
            fields: [
              { name: 'team', label: '移送小组（至少两名监察员）', kind: 'multi', options: inspectors },
              { name: 'policeAgencyId', label: '公安机关', kind: 'enum', options: agencies((a) => a.kind === 'POLICE') },
              { name: 'orderToPayIssuedOn', label: '责令支付签发日期', kind: 'date', show: () => !missedOrder },
              { name: 'orderToPayDueOn', label: '责令支付期限', kind: 'date', show: () => !missedOrder },
              { name: 'grounds', label: '移送理由', kind: 'textarea' },
            ],
            input: (v) => ({
              caseId: c.id,
              team: v.team ?? [],
              policeAgencyId: v.policeAgencyId ?? '',
              orderToPayIssuedOn: v.orderToPayIssuedOn ?? null,
              orderToPayDueOn: v.orderToPayDueOn ?? null,
              grounds: v.grounds ?? '',
            }),
            submit: '提出移送',
            done: '已提出移送，待负责人审批',
          }}
        />
      )}
      {may('TRANSFER') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '告知移交有权处理机关',
            name: 'transferCase',
            testId: 'transfer',
            hint: '不属于劳动保障监察处理的，告知投诉人向有权机关提出；案件以“已移交”结束。移交其他监察机构请用上面的“移交”。',
            doc: TransferCase,
            fields: [
              { name: 'to', label: '有权处理机关', kind: 'text' },
              { name: 'reason', label: '理由', kind: 'textarea' },
            ],
            input: (v) => ({ caseId: c.id, expectedVersion: c.version, to: v.to ?? '', reason: v.reason ?? '' }),
            submit: '告知移交',
            danger: true,
            done: '已移交',
          }}
        />
      )}
    </>
  );
}

/** 调解会议: a session of a convened mediation, with who attended, by labour inspection staff of the owning agency. */
export function MediationSessionForm({ c, p, onDone }: { c: CaseData; p: Process; onDone(): void }) {
  if (p.kind !== 'MEDIATION' || p.endedAt || !['CONVENED', 'AGREED'].includes(p.status)) return null;
  if (!c.availableActions.includes('MEDIATION_SESSION')) return null;
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '记录调解会议',
        name: `recordMediationSession-${p.id}`,
        testId: 'mediation-session',
        doc: RecordMediationSession,
        initial: { heldAt: dayjs() },
        fields: [
          { name: 'heldAt', label: '会议时间', kind: 'datetime' },
          { name: 'attendeePartyIds', label: '到会各方', kind: 'multi', options: p.parties.map((x) => ({ value: x.id, label: x.name })) },
          { name: 'summary', label: '会议纪要', kind: 'textarea', rows: 3 },
        ],
        input: (v) => ({
          processId: p.id,
          idempotencyKey: key(),
          heldAt: v.heldAt ?? '',
          summary: v.summary ?? '',
          attendeePartyIds: v.attendeePartyIds ?? [],
        }),
        submit: '记录会议',
        done: '已记录调解会议',
      }}
    />
  );
}
