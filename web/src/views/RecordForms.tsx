import dayjs from 'dayjs';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { CasePageQuery } from '../gql/graphql';
import { yuan } from '../labels';
import { StepForm } from './StepForm';

type CaseData = CasePageQuery['case'];

const AddOwedWorker = graphql(`
  mutation CaseAddOwedWorker($input: AddOwedWorkerInput!) {
    addOwedWorker(input: $input) {
      id
      version
    }
  }
`);
const CorrectOwedWorker = graphql(`
  mutation CaseCorrectOwedWorker($input: CorrectOwedWorkerInput!) {
    correctOwedWorker(input: $input) {
      id
      version
    }
  }
`);
const RemoveOwedWorker = graphql(`
  mutation CaseRemoveOwedWorker($input: RemoveOwedWorkerInput!) {
    removeOwedWorker(input: $input) {
      id
      version
    }
  }
`);
const RecordIdentity = graphql(`
  mutation CaseRecordComplainantIdentity($input: RecordComplainantIdentityInput!) {
    recordComplainantIdentity(input: $input) {
      id
      version
    }
  }
`);
const RecordViolationPeriod = graphql(`
  mutation CaseRecordViolationPeriod($input: RecordViolationPeriodInput!) {
    recordViolationPeriod(input: $input) {
      id
      version
    }
  }
`);
const SetTeam = graphql(`
  mutation CaseSetInvestigationTeam($input: SetInvestigationTeamInput!) {
    setInvestigationTeam(input: $input) {
      id
      version
    }
  }
`);
const RecordInquiry = graphql(`
  mutation CaseRecordInquiry($input: RecordInquiryInput!) {
    recordInquiry(input: $input) {
      id
      version
    }
  }
`);
const RecordEvidence = graphql(`
  mutation CaseRecordEvidence($input: RecordEvidenceInput!) {
    recordEvidence(input: $input) {
      id
      version
    }
  }
`);
const Investigators = graphql(`
  query CaseInvestigators($caseId: ID!) {
    investigatorCandidates(caseId: $caseId) {
      id
      name
    }
  }
`);

/**
 * The owning agency's law-enforcement staff as select options (the API's `investigatorCandidates`), asked only
 * when a form that names them is offered (`pause`): any other caller would be refused.
 */
export function useInspectorOptions(c: CaseData, wanted: boolean) {
  const [result] = useQuery({ query: Investigators, variables: { caseId: c.id }, pause: !wanted });
  return (result.data?.investigatorCandidates ?? []).map((u) => ({ value: u.id, label: u.name }));
}

/** The case's complainants as select options, by person id (which only labour inspection is given). */
function complainantOptions(c: CaseData) {
  return c.complainants
    .filter((p) => p.personId)
    .map((p) => ({ value: p.personId!, label: `${p.person.name ?? '（未留姓名）'} ${p.person.mobile ?? ''}` }));
}

/**
 * 欠薪人员名册: add a worker owed wages, correct a line, remove one entered by mistake (`ROSTER`). The file records
 * which line and fields changed, never a worker's name, ID or phone.
 */
export function RosterForms({ c, onDone }: { c: CaseData; onDone(): void }) {
  if (!c.availableActions.includes('ROSTER')) return null;
  const lines = c.owedWorkers.map((w) => ({ value: w.id, label: `${w.name ?? '（未留姓名）'} · ${yuan(w.amountOwed)}` }));
  const complainants = complainantOptions(c);
  return (
    <>
      <StepForm
        onDone={onDone}
        spec={{
          title: '登记欠薪人员',
          name: 'addOwedWorker',
          testId: 'roster-add',
          doc: AddOwedWorker,
          initial: { monthsOwed: 1 },
          fields: [
            { name: 'name', label: '姓名', kind: 'text' },
            { name: 'mobile', label: '手机号', kind: 'text' },
            { name: 'residentId', label: '身份证号', kind: 'text' },
            { name: 'monthsOwed', label: '欠薪月数', kind: 'integer' },
            { name: 'amountOwed', label: '欠薪金额（元）', kind: 'yuan' },
            { name: 'personId', label: '对应投诉人（可选）', kind: 'enum', options: complainants },
          ],
          input: (v) => ({
            caseId: c.id,
            name: v.name ?? '',
            mobile: v.mobile || null,
            residentId: v.residentId || null,
            monthsOwed: v.monthsOwed ?? 0,
            amountOwed: v.amountOwed ?? 0,
            personId: v.personId || null,
          }),
          submit: '登记',
          done: '已登记欠薪人员',
        }}
      />
      {lines.length > 0 && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '更正欠薪人员',
            name: 'correctOwedWorker',
            testId: 'roster-correct',
            hint: '只填需要更正的项目。',
            doc: CorrectOwedWorker,
            fields: [
              { name: 'owedWorkerId', label: '人员', kind: 'enum', options: lines },
              { name: 'name', label: '姓名', kind: 'text' },
              { name: 'mobile', label: '手机号', kind: 'text' },
              { name: 'monthsOwed', label: '欠薪月数', kind: 'integer' },
              { name: 'amountOwed', label: '欠薪金额（元）', kind: 'yuan' },
              { name: 'settled', label: '已结清（不再计入待付）', kind: 'check' },
            ],
            input: (v) => ({
              caseId: c.id,
              expectedVersion: c.version,
              owedWorkerId: v.owedWorkerId ?? '',
              name: v.name || null,
              mobile: v.mobile || null,
              monthsOwed: v.monthsOwed ?? null,
              amountOwed: v.amountOwed ?? null,
              settled: v.settled ? true : null,
            }),
            submit: '更正',
            done: '已更正',
          }}
        />
      )}
      {lines.length > 0 && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '删除误录人员',
            name: 'removeOwedWorker',
            testId: 'roster-remove',
            doc: RemoveOwedWorker,
            fields: [
              { name: 'owedWorkerId', label: '人员', kind: 'enum', options: lines },
              { name: 'reason', label: '删除理由', kind: 'text' },
            ],
            input: (v) => ({ caseId: c.id, expectedVersion: c.version, owedWorkerId: v.owedWorkerId ?? '', reason: v.reason ?? '' }),
            submit: '删除',
            danger: true,
            done: '已删除',
          }}
        />
      )}
    </>
  );
}

/** 核实投诉人身份: labour inspection records who a complainant is, after checking it (`CONTACT`). */
export function IdentityForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  const people = complainantOptions(c);
  if (!c.availableActions.includes('CONTACT') || people.length === 0) return null;
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '核实投诉人身份',
        name: 'recordComplainantIdentity',
        testId: 'identity',
        doc: RecordIdentity,
        initial: { personId: people[0]!.value },
        fields: [
          { name: 'personId', label: '投诉人', kind: 'enum', options: people },
          { name: 'name', label: '核实姓名', kind: 'text' },
          { name: 'residentId', label: '核实身份证号', kind: 'text' },
        ],
        input: (v) => ({
          caseId: c.id,
          personId: v.personId ?? '',
          name: v.name || null,
          residentId: v.residentId || null,
        }),
        submit: '记录核实结果',
        done: '已记录投诉人身份',
      }}
    />
  );
}

/** 违法行为期间: when the violation began and ended; the two-year limit (劳动保障监察条例 第二十条) turns on it. */
export function ViolationPeriodForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  if (!c.availableActions.includes('VIOLATION_PERIOD')) return null;
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '违法行为期间',
        name: 'recordViolationPeriod',
        testId: 'violation-period',
        hint: '两年查处时效自违法行为发生之日起算；连续或继续状态的，自行为终了之日起算。持续中的不填结束日期。',
        doc: RecordViolationPeriod,
        fields: [
          { name: 'startedOn', label: '开始日期', kind: 'date' },
          { name: 'endedOn', label: '结束日期', kind: 'date' },
        ],
        input: (v) => ({ caseId: c.id, startedOn: v.startedOn ?? '', endedOn: v.endedOn ?? null }),
        submit: '记录期间',
        done: '已记录违法行为期间',
      }}
    />
  );
}

/**
 * 调查: the investigating team (`INVESTIGATION_TEAM`), and inquiries and evidence on the record, each with at least
 * two inspectors present (`INVESTIGATE`; 行政处罚法 第四十二条).
 */
export function InvestigationForms({ c, onDone }: { c: CaseData; onDone(): void }) {
  const team = c.availableActions.includes('INVESTIGATION_TEAM');
  const record = c.availableActions.includes('INVESTIGATE');
  const inspectors = useInspectorOptions(c, team || record);
  if (!team && !record) return null;
  const current = (c.investigation?.team ?? []).map((u) => u.id);
  return (
    <>
      {team && (
        <StepForm
          key={`team-${current.join(',')}-${inspectors.length}`}
          onDone={onDone}
          spec={{
            title: '调查组',
            name: 'setInvestigationTeam',
            testId: 'investigation-team',
            doc: SetTeam,
            initial: { inspectorIds: current },
            fields: [{ name: 'inspectorIds', label: '调查人员', kind: 'multi', options: inspectors }],
            input: (v) => ({ caseId: c.id, expectedVersion: c.version, inspectorIds: v.inspectorIds ?? [] }),
            submit: '确定调查组',
            done: '已确定调查组',
          }}
        />
      )}
      {record && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '询问笔录',
            name: 'recordInquiry',
            testId: 'inquiry',
            doc: RecordInquiry,
            initial: { askedAt: dayjs() },
            fields: [
              { name: 'personAsked', label: '被询问人', kind: 'text' },
              { name: 'capacity', label: '身份（用人单位负责人、工人等）', kind: 'text' },
              { name: 'askedAt', label: '询问时间', kind: 'datetime' },
              { name: 'place', label: '地点', kind: 'text' },
              { name: 'inspectorIds', label: '询问人（至少两名监察员）', kind: 'multi', options: inspectors },
              { name: 'fileRef', label: '笔录归档号', kind: 'text' },
            ],
            input: (v) => ({
              caseId: c.id,
              personAsked: v.personAsked ?? '',
              capacity: v.capacity || null,
              askedAt: v.askedAt ?? '',
              place: v.place ?? '',
              inspectorIds: v.inspectorIds ?? [],
              fileRef: v.fileRef ?? '',
            }),
            submit: '记录询问',
            done: '已记录询问笔录',
          }}
        />
      )}
      {record && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '证据登记',
            name: 'recordEvidence',
            testId: 'evidence',
            doc: RecordEvidence,
            initial: { kind: 'DOCUMENTARY', collectedAt: dayjs() },
            fields: [
              { name: 'kind', label: '证据种类', kind: 'enum', enum: 'EvidenceKind' },
              { name: 'description', label: '证据名称及内容', kind: 'textarea' },
              { name: 'collectedAt', label: '收集时间', kind: 'datetime' },
              { name: 'collectedBy', label: '收集人（至少两名监察员）', kind: 'multi', options: inspectors },
              { name: 'fileRef', label: '归档号', kind: 'text' },
            ],
            input: (v) => ({
              caseId: c.id,
              kind: v.kind,
              description: v.description ?? '',
              collectedAt: v.collectedAt ?? '',
              collectedBy: v.collectedBy ?? [],
              fileRef: v.fileRef ?? '',
            }),
            submit: '登记证据',
            done: '已登记证据',
          }}
        />
      )}
    </>
  );
}
