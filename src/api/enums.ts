import { registerEnumType } from 'type-graphql';
import { AGENCY_KINDS, SECTORS, USER_ROLES } from '../agencies/agency.entity';
import { CASE_STATUSES, CHANNELS } from '../cases/case.entity';
import { TEAM_ROLES } from '../projects/project.entity';

/**
 * GraphQL enums with their Chinese names as the values' descriptions, built from the same lists the model uses; `description`
 * says what the enum is (the schema lint in `npm run lint` asks for it).
 */
export function enumOf<T extends string>(
  name: string,
  values: readonly T[],
  labels: Record<T, string>,
  description?: string,
): Record<T, T> {
  const e = Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
  registerEnumType(e, { name, description, valuesConfig: Object.fromEntries(values.map((v) => [v, { description: labels[v] }])) as never });
  return e;
}

export const ChannelEnum = enumOf(
  'Channel',
  CHANNELS,
  {
    HOTLINE_12345: '12345 市民服务热线',
    HOTLINE_12333: '12333 人社服务热线',
    NATIONAL_PLATFORM: '全国根治欠薪线索反映平台',
    PROVINCIAL_SYSTEM: '省级系统',
    QR_FORM: '一码通 扫码投诉',
    WALK_IN: '窗口来访',
    GRID_PATROL: '网格巡查',
    POLICE_ALERT: '公安推送',
  },
  'The channels (渠道) complaints arrive through',
);
export const CaseStatusEnum = enumOf(
  'CaseStatus',
  CASE_STATUSES,
  {
    RECEIVED: '已接收',
    ACCEPTED: '已受理',
    REJECTED: '不予受理',
    TRANSFERRED: '已移交',
    IN_PROGRESS: '办理中',
    RESOLVED: '已解决',
    CLOSED: '已办结',
  },
  'Where a case is in its lifecycle (案件状态)',
);
export const CaseSectorEnum = enumOf(
  'CaseSector',
  ['CONSTRUCTION', 'OTHER'] as const,
  { CONSTRUCTION: '工程建设领域', OTHER: '其他行业' },
  'Whether a case is in construction (工程建设领域) or another industry',
);
export const AgencyKindEnum = enumOf(
  'AgencyKind',
  AGENCY_KINDS,
  {
    HRSS_INSPECTION: '人社局劳动保障监察',
    DISTRICT_GOVERNMENT: '区政府',
    STREET_GOVERNMENT: '街道办事处',
    INDUSTRY_REGULATOR: '行业主管部门',
    CONTRACTOR_HQ: '施工总承包单位总部',
    POLICE: '公安机关',
    PROCURATORATE: '检察院',
    UNION: '工会',
    PETITION_OFFICE: '信访部门',
    JUSTICE_BUREAU: '司法局',
    COURT: '法院',
    INTEGRATOR: '对接系统',
  },
  'Kinds of agency (机构类别) that take part in cases',
);
export const SectorEnum = enumOf(
  'Sector',
  SECTORS,
  {
    CONSTRUCTION: '住房和城乡建设',
    TRANSPORT: '交通运输',
    WATER: '水务',
    CATERING: '餐饮',
    LOGISTICS: '物流',
    RETAIL: '商贸零售',
    MANUFACTURING: '制造业',
    OTHER: '其他',
  },
  "An employer's industry (行业)",
);
export const UserRoleEnum = enumOf(
  'UserRole',
  USER_ROLES,
  {
    INTAKE_CLERK: '受理员',
    INSPECTOR: '监察员',
    SUPERVISOR: '科室负责人',
    DIRECTOR: '负责人',
    OFFICER: '工作人员',
    GRID_WORKER: '网格员',
    LIAISON: '联络员',
    MEDIATOR: '调解员',
    INTEGRATOR: '系统账号',
  },
  "A user's roles in their agency",
);
export const CreditGradeEnum = enumOf(
  'CreditGrade',
  ['A', 'B', 'C'] as const,
  { A: '诚信等级A', B: '诚信等级B', C: '诚信等级C' },
  "An employer's compliance credit grade (诚信等级 A/B/C)",
);
export const BlacklistStatusEnum = enumOf(
  'BlacklistStatus',
  ['NONE', 'NOTICE_SERVED', 'LISTED', 'REMOVED'] as const,
  {
    NONE: '未列入',
    NOTICE_SERVED: '已告知拟列入',
    LISTED: '已列入失信名单',
    REMOVED: '已移出',
  },
  'Where an employer stands on the arrears blacklist (欠薪失信名单)',
);
export const ProjectStatusEnum = enumOf(
  'ProjectStatus',
  ['PLANNED', 'UNDER_CONSTRUCTION', 'SUSPENDED', 'COMPLETED'] as const,
  {
    PLANNED: '未开工',
    UNDER_CONSTRUCTION: '在建',
    SUSPENDED: '停工',
    COMPLETED: '已竣工',
  },
  "A project's construction status (施工状态)",
);
export const TeamRoleEnum = enumOf(
  'TeamRole',
  TEAM_ROLES,
  {
    STREET_OFFICER: '街道专员',
    REGULATOR_SUPERVISOR: '行业监管员',
    LABOUR_INSPECTOR: '劳动监察员',
    PROJECT_MANAGER: '项目经理',
    LABOUR_WAGE_SPECIALIST: '劳资专管员',
  },
  'Roles of the five-member project team (五员管理)',
);
export const PaymentSourceEnum = enumOf(
  'PaymentSource',
  ['EMPLOYER', 'GENERAL_CONTRACTOR', 'CONSTRUCTION_UNIT', 'WAGE_DEPOSIT', 'WAGE_ACCOUNT', 'OTHER'] as const,
  {
    EMPLOYER: '用人单位',
    GENERAL_CONTRACTOR: '施工总承包单位',
    CONSTRUCTION_UNIT: '建设单位',
    WAGE_DEPOSIT: '工资保证金',
    WAGE_ACCOUNT: '工资专用账户',
    OTHER: '其他',
  },
  'Where the money of a payment came from (资金来源)',
);
export const ContactKindEnum = enumOf(
  'ContactKind',
  ['CALL', 'VISIT', 'SMS'] as const,
  { CALL: '电话', VISIT: '走访', SMS: '短信' },
  'How a complainant was contacted',
);
export const ContactOutcomeEnum = enumOf(
  'ContactOutcome',
  ['REACHED', 'NO_ANSWER', 'WRONG_NUMBER', 'CALLBACK_REQUESTED'] as const,
  {
    REACHED: '已联系上',
    NO_ANSWER: '无人接听',
    WRONG_NUMBER: '号码有误',
    CALLBACK_REQUESTED: '约定回电',
  },
  'Whether a contact reached the complainant',
);
export const IntakeOutcomeEnum = enumOf(
  'IntakeOutcome',
  ['CREATED', 'DUPLICATE', 'JOINED'] as const,
  {
    CREATED: '新建案件',
    DUPLICATE: '重复提交，返回原案件',
    JOINED: '重复投诉，并入在办案件',
  },
  'What intake did with a complaint',
);
export const CaseOrderEnum = enumOf(
  'CaseOrder',
  ['RECEIVED_AT_DESC', 'RECEIVED_AT_ASC'] as const,
  {
    RECEIVED_AT_DESC: '最新接收在前',
    RECEIVED_AT_ASC: '最早接收在前',
  },
  'Orders of a case list',
);
