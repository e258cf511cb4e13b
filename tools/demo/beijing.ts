/**
 * The demo city: real Beijing divisions (GB/T 2260 district codes; 9-digit street codes in the style of the
 * National Bureau of Statistics' 统计用区划代码) and the real names of the public bodies that take part in
 * wage-arrears work. Employers, projects and people are invented.
 */
export interface StreetDef {
  code: string;
  name: string;
}

export interface DistrictDef {
  code: string;
  name: string;
  /** Short form used in agency names: 西城 → 北京市公安局西城分局. */
  short: string;
  streets: StreetDef[];
  /** Relative share of the city's complaints (Chaoyang and Haidian are large, Dongcheng small). */
  weight: number;
}

export const PROVINCE = { code: '110000', name: '北京市' } as const;
export const CITY = { code: '110100', name: '市辖区' } as const;

export const DISTRICTS: DistrictDef[] = [
  {
    code: '110101',
    name: '东城区',
    short: '东城',
    weight: 10,
    streets: [
      { code: '110101001', name: '东华门街道' },
      { code: '110101003', name: '交道口街道' },
      { code: '110101008', name: '建国门街道' },
    ],
  },
  {
    code: '110102',
    name: '西城区',
    short: '西城',
    weight: 16,
    streets: [
      { code: '110102001', name: '西长安街街道' },
      { code: '110102003', name: '新街口街道' },
      { code: '110102020', name: '广安门外街道' },
    ],
  },
  {
    code: '110105',
    name: '朝阳区',
    short: '朝阳',
    weight: 24,
    streets: [
      { code: '110105001', name: '建外街道' },
      { code: '110105004', name: '三里屯街道' },
      { code: '110105016', name: '双井街道' },
    ],
  },
  {
    code: '110106',
    name: '丰台区',
    short: '丰台',
    weight: 16,
    streets: [
      { code: '110106001', name: '右安门街道' },
      { code: '110106002', name: '太平桥街道' },
      { code: '110106009', name: '丰台街道' },
    ],
  },
  {
    code: '110108',
    name: '海淀区',
    short: '海淀',
    weight: 20,
    streets: [
      { code: '110108001', name: '万寿路街道' },
      { code: '110108003', name: '羊坊店街道' },
      { code: '110108011', name: '中关村街道' },
    ],
  },
  {
    code: '110114',
    name: '昌平区',
    short: '昌平',
    weight: 14,
    streets: [
      { code: '110114001', name: '城北街道' },
      { code: '110114005', name: '城南街道' },
      { code: '110114006', name: '回龙观街道' },
    ],
  },
];

export const GRIDS_PER_STREET = 3;

/** Grid codes extend the street code: 110102001-G01. */
export function gridCode(street: string, n: number): string {
  return `${street}-G${String(n).padStart(2, '0')}`;
}

export type Industry = 'CONSTRUCTION' | 'CATERING' | 'LOGISTICS' | 'RETAIL' | 'MANUFACTURING' | 'OTHER';

/** Invented employers: [trade name, full name suffix, industry, role]. */
export interface EmployerDef {
  key: string;
  name: string;
  industry: Industry;
  district: string;
  role?: 'GENERAL_CONTRACTOR' | 'CONSTRUCTION_UNIT' | 'LABOUR_SUBCONTRACTOR';
  grade: 'A' | 'B' | 'C';
}

export const EMPLOYERS: EmployerDef[] = [
  // General contractors (施工总承包单位); the first three have an HQ account in Anxin (三交办).
  {
    key: 'gc-jingzhu',
    name: '北京京筑建工集团有限公司',
    industry: 'CONSTRUCTION',
    district: '110102',
    role: 'GENERAL_CONTRACTOR',
    grade: 'A',
  },
  {
    key: 'gc-hengtai',
    name: '北京恒泰城建集团有限公司',
    industry: 'CONSTRUCTION',
    district: '110105',
    role: 'GENERAL_CONTRACTOR',
    grade: 'B',
  },
  {
    key: 'gc-anyuan',
    name: '中冶安源建设工程有限公司',
    industry: 'CONSTRUCTION',
    district: '110108',
    role: 'GENERAL_CONTRACTOR',
    grade: 'A',
  },
  {
    key: 'gc-lianchuang',
    name: '北京联创路桥建设有限公司',
    industry: 'CONSTRUCTION',
    district: '110106',
    role: 'GENERAL_CONTRACTOR',
    grade: 'B',
  },
  // Construction units (建设单位): developers and public-works clients.
  { key: 'cu-xiheng', name: '北京西恒置业有限公司', industry: 'OTHER', district: '110102', role: 'CONSTRUCTION_UNIT', grade: 'B' },
  { key: 'cu-chaoyun', name: '北京朝云房地产开发有限公司', industry: 'OTHER', district: '110105', role: 'CONSTRUCTION_UNIT', grade: 'C' },
  {
    key: 'cu-kechuang',
    name: '北京中关村科创园区开发有限公司',
    industry: 'OTHER',
    district: '110108',
    role: 'CONSTRUCTION_UNIT',
    grade: 'A',
  },
  {
    key: 'cu-changxing',
    name: '北京昌兴城市更新投资有限公司',
    industry: 'OTHER',
    district: '110114',
    role: 'CONSTRUCTION_UNIT',
    grade: 'B',
  },
  {
    key: 'cu-dongfang',
    name: '北京东方城市建设投资有限公司',
    industry: 'OTHER',
    district: '110101',
    role: 'CONSTRUCTION_UNIT',
    grade: 'A',
  },
  // Labour subcontractors (劳务分包单位).
  {
    key: 'ls-hongda',
    name: '北京宏达劳务分包有限公司',
    industry: 'CONSTRUCTION',
    district: '110106',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'C',
  },
  {
    key: 'ls-jinpeng',
    name: '北京金鹏建筑劳务有限公司',
    industry: 'CONSTRUCTION',
    district: '110114',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'B',
  },
  {
    key: 'ls-yuxin',
    name: '河北豫鑫建筑劳务有限公司北京分公司',
    industry: 'CONSTRUCTION',
    district: '110106',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'C',
  },
  {
    key: 'ls-shunli',
    name: '北京顺利达建筑劳务有限公司',
    industry: 'CONSTRUCTION',
    district: '110105',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'B',
  },
  {
    key: 'ls-tiancheng',
    name: '北京天成泰建筑劳务有限公司',
    industry: 'CONSTRUCTION',
    district: '110108',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'B',
  },
  {
    key: 'ls-minggong',
    name: '北京铭工建筑劳务分包有限公司',
    industry: 'CONSTRUCTION',
    district: '110102',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'A',
  },
  {
    key: 'ls-zhongyu',
    name: '北京中宇恒业建筑劳务有限公司',
    industry: 'CONSTRUCTION',
    district: '110101',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'C',
  },
  {
    key: 'ls-fengze',
    name: '北京丰泽建筑装饰工程有限公司',
    industry: 'CONSTRUCTION',
    district: '110106',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'B',
  },
  {
    key: 'ls-zhuoyue',
    name: '北京卓越门窗幕墙工程有限公司',
    industry: 'CONSTRUCTION',
    district: '110114',
    role: 'LABOUR_SUBCONTRACTOR',
    grade: 'B',
  },
  // Catering.
  { key: 'ct-weihexuan', name: '北京味和轩餐饮管理有限公司', industry: 'CATERING', district: '110102', grade: 'B' },
  { key: 'ct-laojie', name: '北京老街坊餐饮有限公司', industry: 'CATERING', district: '110101', grade: 'A' },
  { key: 'ct-xiangyue', name: '北京湘悦楼餐饮管理有限公司', industry: 'CATERING', district: '110105', grade: 'C' },
  { key: 'ct-chuanwei', name: '北京蜀味轩餐饮有限公司', industry: 'CATERING', district: '110108', grade: 'B' },
  { key: 'ct-jinghua', name: '北京京华宴餐饮管理有限公司', industry: 'CATERING', district: '110106', grade: 'B' },
  { key: 'ct-maiwei', name: '北京麦味坊食品有限公司', industry: 'CATERING', district: '110114', grade: 'A' },
  { key: 'ct-huoguo', name: '北京红炉火锅餐饮有限公司', industry: 'CATERING', district: '110105', grade: 'C' },
  { key: 'ct-jiaozi', name: '北京饺香园餐饮有限公司', industry: 'CATERING', district: '110102', grade: 'B' },
  // Logistics.
  { key: 'lg-sudi', name: '北京速递通物流有限公司', industry: 'LOGISTICS', district: '110106', grade: 'B' },
  { key: 'lg-jiyun', name: '北京吉运达供应链管理有限公司', industry: 'LOGISTICS', district: '110114', grade: 'C' },
  { key: 'lg-chengpei', name: '北京城配快运有限公司', industry: 'LOGISTICS', district: '110105', grade: 'B' },
  { key: 'lg-fengxing', name: '北京丰行同城配送有限公司', industry: 'LOGISTICS', district: '110106', grade: 'A' },
  { key: 'lg-haixing', name: '北京海星仓储服务有限公司', industry: 'LOGISTICS', district: '110108', grade: 'B' },
  { key: 'lg-jinan', name: '北京京安搬家运输有限公司', industry: 'LOGISTICS', district: '110101', grade: 'C' },
  // Retail.
  { key: 'rt-huilin', name: '北京惠邻便利店连锁有限公司', industry: 'RETAIL', district: '110108', grade: 'B' },
  { key: 'rt-jiale', name: '北京家乐汇超市有限公司', industry: 'RETAIL', district: '110105', grade: 'C' },
  { key: 'rt-xinyi', name: '北京新艺服饰商贸有限公司', industry: 'RETAIL', district: '110102', grade: 'A' },
  { key: 'rt-changfeng', name: '北京长丰生鲜超市有限公司', industry: 'RETAIL', district: '110114', grade: 'B' },
  { key: 'rt-dongsi', name: '北京东四百货商行有限公司', industry: 'RETAIL', district: '110101', grade: 'A' },
  // Manufacturing.
  { key: 'mf-jingyin', name: '北京京印包装印刷有限公司', industry: 'MANUFACTURING', district: '110106', grade: 'B' },
  { key: 'mf-huake', name: '北京华科精密机械有限公司', industry: 'MANUFACTURING', district: '110114', grade: 'A' },
  { key: 'mf-tianyi', name: '北京天益食品加工有限公司', industry: 'MANUFACTURING', district: '110114', grade: 'C' },
  { key: 'mf-zhongchuang', name: '北京中创电子科技有限公司', industry: 'MANUFACTURING', district: '110108', grade: 'B' },
  { key: 'mf-mingyang', name: '北京明扬服装加工有限公司', industry: 'MANUFACTURING', district: '110105', grade: 'C' },
];

/** The general contractors with an HQ account in Anxin (kind CONTRACTOR_HQ). */
export const CONTRACTOR_HQS = ['gc-jingzhu', 'gc-hengtai', 'gc-anyuan'];

export interface ProjectDef {
  key: string;
  name: string;
  street: string;
  constructionUnit: string;
  generalContractor: string;
  subcontractors: string[];
  status: 'PLANNED' | 'UNDER_CONSTRUCTION' | 'SUSPENDED' | 'COMPLETED';
  workers: number;
}

export const PROJECTS: ProjectDef[] = [
  {
    key: 'p-gwm',
    name: '广安门外棚户区改造安置房项目(二期)',
    street: '110102020',
    constructionUnit: 'cu-xiheng',
    generalContractor: 'gc-jingzhu',
    subcontractors: ['ls-minggong', 'ls-hongda'],
    status: 'UNDER_CONSTRUCTION',
    workers: 620,
  },
  {
    key: 'p-xjk',
    name: '新街口历史文化街区保护修缮工程',
    street: '110102003',
    constructionUnit: 'cu-xiheng',
    generalContractor: 'gc-jingzhu',
    subcontractors: ['ls-minggong'],
    status: 'UNDER_CONSTRUCTION',
    workers: 180,
  },
  {
    key: 'p-xca',
    name: '西长安街沿线建筑立面整治工程',
    street: '110102001',
    constructionUnit: 'cu-dongfang',
    generalContractor: 'gc-lianchuang',
    subcontractors: ['ls-fengze'],
    status: 'COMPLETED',
    workers: 95,
  },
  {
    key: 'p-jgm',
    name: '建国门内老旧小区综合整治项目',
    street: '110101008',
    constructionUnit: 'cu-dongfang',
    generalContractor: 'gc-jingzhu',
    subcontractors: ['ls-zhongyu'],
    status: 'UNDER_CONSTRUCTION',
    workers: 240,
  },
  {
    key: 'p-jdk',
    name: '交道口街道胡同市政管线改造工程',
    street: '110101003',
    constructionUnit: 'cu-dongfang',
    generalContractor: 'gc-lianchuang',
    subcontractors: ['ls-zhongyu', 'ls-hongda'],
    status: 'UNDER_CONSTRUCTION',
    workers: 130,
  },
  {
    key: 'p-jw',
    name: '建外SOHO东侧商业综合体项目',
    street: '110105001',
    constructionUnit: 'cu-chaoyun',
    generalContractor: 'gc-hengtai',
    subcontractors: ['ls-shunli', 'ls-zhuoyue'],
    status: 'UNDER_CONSTRUCTION',
    workers: 1100,
  },
  {
    key: 'p-sj',
    name: '双井地块共有产权住房项目',
    street: '110105016',
    constructionUnit: 'cu-chaoyun',
    generalContractor: 'gc-hengtai',
    subcontractors: ['ls-shunli', 'ls-yuxin'],
    status: 'SUSPENDED',
    workers: 430,
  },
  {
    key: 'p-slt',
    name: '三里屯街区更新改造工程',
    street: '110105004',
    constructionUnit: 'cu-chaoyun',
    generalContractor: 'gc-anyuan',
    subcontractors: ['ls-fengze'],
    status: 'UNDER_CONSTRUCTION',
    workers: 210,
  },
  {
    key: 'p-ya',
    name: '右安门外学校教学楼新建工程',
    street: '110106001',
    constructionUnit: 'cu-dongfang',
    generalContractor: 'gc-lianchuang',
    subcontractors: ['ls-hongda', 'ls-yuxin'],
    status: 'UNDER_CONSTRUCTION',
    workers: 260,
  },
  {
    key: 'p-ft',
    name: '丰台站北侧道路及综合管廊工程',
    street: '110106009',
    constructionUnit: 'cu-dongfang',
    generalContractor: 'gc-lianchuang',
    subcontractors: ['ls-yuxin'],
    status: 'UNDER_CONSTRUCTION',
    workers: 380,
  },
  {
    key: 'p-zgc',
    name: '中关村科学城创新研发中心项目',
    street: '110108011',
    constructionUnit: 'cu-kechuang',
    generalContractor: 'gc-anyuan',
    subcontractors: ['ls-tiancheng', 'ls-zhuoyue'],
    status: 'UNDER_CONSTRUCTION',
    workers: 900,
  },
  {
    key: 'p-wsl',
    name: '万寿路西街住宅楼加装电梯工程',
    street: '110108001',
    constructionUnit: 'cu-kechuang',
    generalContractor: 'gc-anyuan',
    subcontractors: ['ls-tiancheng'],
    status: 'COMPLETED',
    workers: 60,
  },
  {
    key: 'p-yfd',
    name: '羊坊店路医院门诊楼改扩建工程',
    street: '110108003',
    constructionUnit: 'cu-kechuang',
    generalContractor: 'gc-hengtai',
    subcontractors: ['ls-tiancheng', 'ls-shunli'],
    status: 'PLANNED',
    workers: 0,
  },
  {
    key: 'p-hlg',
    name: '回龙观保障性租赁住房项目',
    street: '110114006',
    constructionUnit: 'cu-changxing',
    generalContractor: 'gc-jingzhu',
    subcontractors: ['ls-jinpeng', 'ls-zhuoyue'],
    status: 'UNDER_CONSTRUCTION',
    workers: 750,
  },
  {
    key: 'p-cb',
    name: '昌平城北滨河绿道及水系治理工程',
    street: '110114001',
    constructionUnit: 'cu-changxing',
    generalContractor: 'gc-hengtai',
    subcontractors: ['ls-jinpeng'],
    status: 'UNDER_CONSTRUCTION',
    workers: 170,
  },
];

/** Free-text complaints by sector, as workers put them on the phone or on the form. */
export const COMPLAINT_TEXTS: Record<Industry, string[]> = {
  CONSTRUCTION: [
    '工地木工班组%w人,%m个月工资未发,包工头称总包未拨付劳务费',
    '钢筋工%w人干完活后班组长失联,拖欠工资约%a元',
    '项目停工,劳务公司拖欠%w名工人%m个月工资',
    '装修工程完工后老板以验收未过为由拒付工钱,共%w人',
    '工地实名制考勤有记录,但工资专户未按月代发,涉及%w人',
    '春节前讨薪,劳务分包单位称建设单位欠工程款,%w人被拖欠%a元',
  ],
  CATERING: ['饭店停业,%w名员工%m个月工资未结', '餐厅以营业额下降为由拖欠后厨和服务员工资', '离职后老板拒不结算最后%m个月工资'],
  LOGISTICS: ['快递站点拖欠快递员%m个月派件费,约%a元', '配送公司以罚款名义克扣工资,%w名骑手投诉', '仓库分拣工%w人,加班费和%m个月工资未发'],
  RETAIL: ['超市关店,%w名收银员、理货员工资未结清', '门店店员%m个月提成和工资被拖欠'],
  MANUFACTURING: ['工厂停产放假,%w名工人%m个月工资未发', '车间计件工资拖欠,老板称等货款回笼再发'],
  OTHER: ['用人单位拖欠工资%a元,多次催要未果'],
};

export const REJECTION_REASONS = [
  '违法行为发生已超过两年,依据《劳动保障监察条例》第二十条不再查处,书面告知投诉人',
  '属于劳动合同解除经济补偿争议,不属于劳动保障监察范围,已告知申请劳动人事争议仲裁',
  '投诉人撤回投诉,工资已自行协商结清',
];

export const TRANSFER_TARGETS: Array<{ to: string; reason: string }> = [
  { to: '北京市西城区劳动人事争议仲裁委员会', reason: '工资数额存在争议,需通过仲裁确认' },
  { to: '北京市朝阳区劳动人事争议仲裁委员会', reason: '涉及劳动关系确认,转仲裁处理' },
  { to: '河北省廊坊市人力资源和社会保障局', reason: '用工地点在廊坊市,属地管辖' },
  { to: '天津市武清区人力资源和社会保障局', reason: '用人单位注册地及用工地均在武清区' },
];
