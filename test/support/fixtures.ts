import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency, User } from '../../src/agencies/agency.entity';
import { Employer } from '../../src/employers/employer.entity';
import { Project } from '../../src/projects/project.entity';
import { Region } from '../../src/regions/region.entity';
import { usccCheckCharacter } from '../../src/domain/uscc';

/** A small piece of Beijing: enough agencies, people and places for the case tests. */
export async function loadTestCity(em: EntityManager) {
  const region = (code: string, name: string, level: Region['level'], path: string, parent?: string) =>
    em.create(Region, { code, name, level, path, parent });
  region('110000', '北京市', 'PROVINCE', '110000');
  region('110100', '市辖区', 'CITY', '110000/110100', '110000');
  region('110102', '西城区', 'DISTRICT', '110000/110100/110102', '110100');
  region('110105', '朝阳区', 'DISTRICT', '110000/110100/110105', '110100');
  region('110102003', '新街口街道', 'STREET', '110000/110100/110102/110102003', '110102');
  region('110105001', '建外街道', 'STREET', '110000/110100/110105/110105001', '110105');
  const cityHrss = em.create(Agency, { kind: 'HRSS_INSPECTION', name: '北京市劳动保障监察总队', region: '110100' });
  const xichengHrss = em.create(Agency, { kind: 'HRSS_INSPECTION', name: '西城区劳动保障监察大队', region: '110102', parent: cityHrss.id });
  const housing = em.create(Agency, {
    kind: 'INDUSTRY_REGULATOR',
    name: '北京市住房和城乡建设委员会',
    region: '110100',
    sector: 'CONSTRUCTION',
  });
  const police = em.create(Agency, { kind: 'POLICE', name: '西城分局', region: '110102' });
  const xichengGov = em.create(Agency, { kind: 'DISTRICT_GOVERNMENT', name: '西城区人民政府', region: '110102' });
  const procuratorate = em.create(Agency, { kind: 'PROCURATORATE', name: '西城区人民检察院', region: '110102' });
  const union = em.create(Agency, { kind: 'UNION', name: '西城区总工会', region: '110102' });
  const integrator = em.create(Agency, { kind: 'INTEGRATOR', name: '北京市12345市民服务热线', region: '110100', channel: 'HOTLINE_12345' });
  const cityDirector = em.create(User, {
    agency: cityHrss.id,
    name: '市总队长',
    roles: ['DIRECTOR', 'SUPERVISOR', 'INSPECTOR', 'INTAKE_CLERK'],
  });
  const hotline = em.create(User, { agency: integrator.id, name: '12345热线接口', roles: ['INTEGRATOR'] });
  const chaoyangHrss = em.create(Agency, {
    kind: 'HRSS_INSPECTION',
    name: '朝阳区劳动保障监察大队',
    region: '110105',
    parent: cityHrss.id,
  });
  const chaoyangInspector = em.create(User, { agency: chaoyangHrss.id, name: '朝阳监察', roles: ['INSPECTOR'] });
  const xinjiekou = em.create(Agency, { kind: 'STREET_GOVERNMENT', name: '新街口街道办事处', region: '110102003', parent: xichengGov.id });
  const gridWorker = em.create(User, { agency: xinjiekou.id, name: '网格员小刘', roles: ['GRID_WORKER'] });
  const transport = em.create(Agency, { kind: 'INDUSTRY_REGULATOR', name: '北京市交通委员会', region: '110100', sector: 'TRANSPORT' });
  const transportSupervisor = em.create(User, { agency: transport.id, name: '交通监督', roles: ['SUPERVISOR'] });
  const prosecutor = em.create(User, { agency: procuratorate.id, name: '检察官', roles: ['OFFICER'] });
  const petition = em.create(Agency, { kind: 'PETITION_OFFICE', name: '西城区信访办', region: '110102' });
  const petitionOfficer = em.create(User, { agency: petition.id, name: '信访干部', roles: ['OFFICER'] });
  const justice = em.create(Agency, { kind: 'JUSTICE_BUREAU', name: '西城区司法局', region: '110102' });
  const justiceMediator = em.create(User, { agency: justice.id, name: '司法调解员', roles: ['MEDIATOR'] });
  const court = em.create(Agency, { kind: 'COURT', name: '西城区人民法院', region: '110102' });
  const courtOfficer = em.create(User, { agency: court.id, name: '法官', roles: ['OFFICER'] });
  const arbitration = em.create(Agency, { kind: 'LABOUR_ARBITRATION', name: '西城区劳动人事争议仲裁委员会', region: '110102' });
  const arbitrator = em.create(User, { agency: arbitration.id, name: '仲裁员', roles: ['OFFICER'] });
  const workInjury = em.create(Agency, { kind: 'WORK_INJURY_OFFICE', name: '西城区人社局工伤认定科', region: '110102' });
  const workInjuryOfficer = em.create(User, { agency: workInjury.id, name: '工伤认定员', roles: ['OFFICER'] });
  const inspector = em.create(User, { agency: xichengHrss.id, name: '李监察', roles: ['INSPECTOR'] });
  const inspector2 = em.create(User, { agency: xichengHrss.id, name: '赵监察', roles: ['INSPECTOR'] });
  const supervisor = em.create(User, { agency: xichengHrss.id, name: '钱科长', roles: ['SUPERVISOR'] });
  const director = em.create(User, { agency: xichengHrss.id, name: '孙大队长', roles: ['DIRECTOR'] });
  const districtOfficer = em.create(User, { agency: xichengGov.id, name: '周干部', roles: ['OFFICER'] });
  const regulatorOfficer = em.create(User, { agency: housing.id, name: '吴监督', roles: ['SUPERVISOR'] });
  const policeOfficer = em.create(User, { agency: police.id, name: '郑警官', roles: ['OFFICER'] });
  const unionMediator = em.create(User, { agency: union.id, name: '冯调解', roles: ['MEDIATOR'] });
  const clerk = em.create(User, { agency: xichengHrss.id, name: '王受理', roles: ['INTAKE_CLERK'] });
  const contractor = em.create(Employer, {
    uscc: '91110000600037341L',
    name: '北京城建某工程有限公司',
    industry: 'CONSTRUCTION',
    region: '110102',
  });
  const restaurant = em.create(Employer, {
    uscc: '91350100M000100Y43',
    name: '某餐饮管理有限公司',
    industry: 'CATERING',
    region: '110105',
  });
  const contractorHq = em.create(Agency, {
    kind: 'CONTRACTOR_HQ',
    name: '北京城建某工程有限公司总部',
    region: '110100',
    employerId: contractor.id,
  });
  const contractorLiaison = em.create(User, { agency: contractorHq.id, name: '陈联络', roles: ['LIAISON'] });
  const project = em.create(Project, {
    code: 'XC-2026-001',
    name: '西城区某住宅项目',
    region: '110102003',
    generalContractor: contractor.id,
    regulator: housing.id,
    workerCount: 120,
  });
  await em.flush();
  return {
    chaoyangHrss,
    chaoyangInspector,
    xinjiekou,
    gridWorker,
    transport,
    transportSupervisor,
    prosecutor,
    petition,
    petitionOfficer,
    justice,
    justiceMediator,
    court,
    courtOfficer,
    arbitration,
    arbitrator,
    workInjury,
    workInjuryOfficer,
    integrator,
    cityDirector,
    hotline,
    cityHrss,
    xichengHrss,
    xichengGov,
    housing,
    police,
    procuratorate,
    union,
    contractorHq,
    inspector,
    inspector2,
    supervisor,
    director,
    clerk,
    districtOfficer,
    regulatorOfficer,
    policeOfficer,
    unionMediator,
    contractorLiaison,
    contractor,
    restaurant,
    project,
  };
}

/**
 * A further employer like `like` (same region and industry: a case about it is routed the same way) under a code
 * of its own, so a complaint about it is a matter of its own and does not join another case as a collective one
 * (一事一案, on in every test setup).
 */
export async function addEmployer(
  em: EntityManager,
  like: Employer,
  opts: {
    name?: string;
    /** null: registered nowhere in the test city (region-scoped employer lists leave it out) */ region?: string | null;
  } = {},
): Promise<Employer> {
  const first17 = `91110000${randomInt(0, 1e9).toString().padStart(9, '0')}`;
  const employer = em.create(Employer, {
    uscc: first17 + usccCheckCharacter(first17),
    name: opts.name ?? `${like.name}（${first17.slice(8)}）`,
    industry: like.industry,
    region: opts.region === undefined ? like.region : (opts.region ?? undefined),
  });
  await em.flush();
  return employer;
}

/**
 * A further project like `like` (same region, general contractor and regulator) under a code of its own, so
 * complaints about it make a case of their own.
 */
export async function addProject(em: EntityManager, like: Project, code?: string): Promise<Project> {
  const own = code ?? `${like.code}-${randomInt(0, 1e9).toString().padStart(9, '0')}`;
  const project = em.create(Project, {
    code: own,
    name: `${like.name}（${own}）`,
    region: like.region,
    generalContractor: like.generalContractor,
    regulator: like.regulator,
    workerCount: like.workerCount,
  });
  await em.flush();
  return project;
}
