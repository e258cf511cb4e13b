import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency, User } from '../../src/agencies/agency.entity';
import { Employer } from '../../src/employers/employer.entity';
import { Project } from '../../src/projects/project.entity';
import { Region } from '../../src/regions/region.entity';

/** A small piece of Beijing: enough agencies, people and places for the case tests. */
export async function loadTestCity(em: EntityManager) {
  const region = (code: string, name: string, level: Region['level'], path: string, parent?: string) => em.create(Region, { code, name, level, path, parent });
  region('110000', '北京市', 'PROVINCE', '110000');
  region('110100', '市辖区', 'CITY', '110000/110100', '110000');
  region('110102', '西城区', 'DISTRICT', '110000/110100/110102', '110100');
  region('110105', '朝阳区', 'DISTRICT', '110000/110100/110105', '110100');
  region('110102003', '新街口街道', 'STREET', '110000/110100/110102/110102003', '110102');
  region('110105001', '建外街道', 'STREET', '110000/110100/110105/110105001', '110105');
  const cityHrss = em.create(Agency, { kind: 'HRSS_INSPECTION', name: '北京市劳动保障监察总队', region: '110100' });
  const xichengHrss = em.create(Agency, { kind: 'HRSS_INSPECTION', name: '西城区劳动保障监察大队', region: '110102', parent: cityHrss.id });
  const housing = em.create(Agency, { kind: 'INDUSTRY_REGULATOR', name: '北京市住房和城乡建设委员会', region: '110100', sector: 'CONSTRUCTION' });
  const police = em.create(Agency, { kind: 'POLICE', name: '西城分局', region: '110102' });
  const inspector = em.create(User, { agency: xichengHrss.id, name: '李监察', roles: ['INSPECTOR'] });
  const clerk = em.create(User, { agency: xichengHrss.id, name: '王受理', roles: ['INTAKE_CLERK'] });
  const contractor = em.create(Employer, { uscc: '91110000600037341L', name: '北京城建某工程有限公司', industry: 'CONSTRUCTION', region: '110102' });
  const restaurant = em.create(Employer, { uscc: '91350100M000100Y43', name: '某餐饮管理有限公司', industry: 'CATERING', region: '110105' });
  const project = em.create(Project, { code: 'XC-2026-001', name: '西城区某住宅项目', region: '110102003', generalContractor: contractor.id, regulator: housing.id, workerCount: 120 });
  await em.flush();
  return { cityHrss, xichengHrss, housing, police, inspector, clerk, contractor, restaurant, project };
}
