import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgencyKind, Sector, UserRole } from '../../src/agencies/agency.entity';
import type { CaseStatus, PaymentSource } from '../../src/cases/case.entity';
import { acceptanceDeadline, resolutionDeadline, sameDayContactDeadline } from '../../src/cases/deadlines';
import { beijingDate } from '../../src/domain/working-days';
import type { Logger } from '../../src/logger';
import type { TeamMember } from '../../src/projects/project.entity';
import type { Channel } from '../../src/rules/case-deadlines';
import {
  CITY,
  COMPLAINT_TEXTS,
  CONTRACTOR_HQS,
  DISTRICTS,
  EMPLOYERS,
  GRIDS_PER_STREET,
  PROJECTS,
  PROVINCE,
  REJECTION_REASONS,
  TRANSFER_TARGETS,
  gridCode,
  type DistrictDef,
  type EmployerDef,
  type Industry,
} from './beijing';
import { playCase, type Actor, type CaseRows, type Intake, type Step } from './case-story';
import { chineseName, uniqueMobile, uniqueResidentId, uniqueUscc } from './identities';
import { Random } from './random';
import { iso, insertRows, json, pgArray, sqlRunner, type Sql } from './sql';

/**
 * The demo city: a realistic Beijing with its divisions, the agencies that work on wage arrears and their
 * people, employers, construction projects and ~300 cases of every channel and status, plus the cases the
 * seed articles tell. Loaded into an empty database only; generated from a fixed seed, so the same city
 * (same names, codes, amounts and case numbers) comes out every time for the same `now`.
 */

export const DEMO_SEED = 'anxin-demo-city-v1';

/**
 * Seed 002's filed criminal case (拒不支付劳动报酬罪): 72 workers owed ¥210,000 by an individual gang master, paid
 * in full after his arrest. The demo city receives and accepts it; `startDemoProcesses` takes it on from there.
 */
export const SEED_002 = {
  workers: 72,
  amountFen: 21_000_000,
  description: '72名农民工到窗口投诉:个体包工头承揽丰台站北侧道路及综合管廊工程劳务后,拖欠72名农民工工资共计21万元,拒不支付。',
} as const;
const RANDOM_CASES = 300;
const AGE_DAYS = 120;

export interface DemoCityOptions {
  /** The "today" the cases are aged from; defaults to the start of the current hour. */
  now?: Date;
  seed?: string;
  cases?: number;
}

export async function loadDemoCity(em: EntityManager, log: Logger, opts: DemoCityOptions = {}): Promise<{ loaded: boolean }> {
  const started = Date.now();
  const now = opts.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const result = await em.fork().transactional(async (tem) => {
    const sql = sqlRunner(tem);
    // Two processes starting on the same empty database must not both load it.
    await sql(`select pg_advisory_xact_lock(hashtext('anxin:demo-city'))`);
    const [row] = await sql<{ any: boolean }>('select exists (select 1 from region) as any');
    if (row?.any) return undefined;
    const city = new DemoCity(new Random(opts.seed ?? DEMO_SEED), now);
    city.build(opts.cases ?? RANDOM_CASES);
    await city.insert(sql);
    return city.counts();
  });
  if (!result) {
    log.info('demo city: the database already has regions; nothing loaded');
    return { loaded: false };
  }
  log.info({ ...result, ms: Date.now() - started }, 'demo city loaded');
  return { loaded: true };
}

interface RegionRow {
  code: string;
  name: string;
  level: 'PROVINCE' | 'CITY' | 'DISTRICT' | 'STREET';
  parent: string | null;
  path: string;
}

interface AgencyRow {
  id: string;
  kind: AgencyKind;
  name: string;
  region: string;
  parent?: string;
  sector?: Sector;
  employerId?: string;
  channel?: string;
}

interface UserRow {
  id: string;
  agency: string;
  name: string;
  roles: UserRole[];
  grid?: string;
}

interface EmployerRow {
  id: string;
  def: EmployerDef;
  uscc: string;
  legalRepresentative: string;
  street: string;
  grid: string;
  createdAt: Date;
}

interface ProjectRow {
  id: string;
  code: string;
  name: string;
  street: string;
  constructionUnit: string;
  generalContractor: string;
  subcontractors: string[];
  regulator: string;
  team: TeamMember[];
  wageAccountBalanceFen: number;
  wageDepositFen: number;
  workerCount: number;
  status: string;
  createdAt: Date;
}

interface PersonRow {
  id: string;
  name: string | null;
  mobile: string;
  residentId: string | null;
  createdAt: Date;
}

/** Per-district people the case generator hands work to. */
interface DistrictStaff {
  def: DistrictDef;
  hrss: AgencyRow;
  clerks: UserRow[];
  inspectors: UserRow[];
  supervisor: UserRow;
  director: UserRow;
  police: AgencyRow;
  policeOfficer: UserRow;
  gridWorkers: UserRow[];
  streetOfficers: Map<string, UserRow>;
}

const CHANNEL_WEIGHTS: Record<Channel, number> = {
  HOTLINE_12345: 34,
  HOTLINE_12333: 12,
  NATIONAL_PLATFORM: 12,
  PROVINCIAL_SYSTEM: 6,
  QR_FORM: 12,
  WALK_IN: 10,
  GRID_PATROL: 7,
  POLICE_ALERT: 7,
};

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** A Beijing wall-clock time as an instant (Beijing has no daylight saving: always UTC+8). */
function bj(y: number, m: number, d: number, hh: number, mm: number): Date {
  return new Date(Date.UTC(y, m - 1, d, hh - 8, mm));
}

class DemoCity {
  readonly regions: RegionRow[] = [];
  readonly grids: Array<{ code: string; name: string; street: string }> = [];
  readonly agencies: AgencyRow[] = [];
  readonly users: UserRow[] = [];
  readonly employers: EmployerRow[] = [];
  readonly projects: ProjectRow[] = [];
  readonly persons: PersonRow[] = [];
  readonly cases: CaseRows[] = [];
  private readonly employerByKey = new Map<string, EmployerRow>();
  private readonly projectByKey = new Map<string, ProjectRow>();
  private readonly staff = new Map<string, DistrictStaff>();
  private readonly mobiles = new Set<string>();
  private readonly residentIds = new Set<string>();
  private readonly usccs = new Set<string>();
  private readonly channelRefSeq = new Map<Channel, number>();
  private counters: Array<{ district: string; year: number; last: number }> = [];
  private construction!: AgencyRow;
  private integratorUser!: UserRow;
  private integrator!: AgencyRow;

  constructor(
    private readonly rng: Random,
    private readonly now: Date,
  ) {}

  build(randomCases: number): void {
    this.buildRegions();
    this.buildEmployers();
    this.buildAgencies();
    this.buildProjects();
    this.buildSeedStories();
    for (let i = 0; i < randomCases; i++) this.buildRandomCase();
    this.numberCases();
  }

  counts(): Record<string, number> {
    const sum = (f: (c: CaseRows) => number) => this.cases.reduce((s, c) => s + f(c), 0);
    return {
      regions: this.regions.length,
      grids: this.grids.length,
      agencies: this.agencies.length,
      users: this.users.length,
      employers: this.employers.length,
      projects: this.projects.length,
      persons: this.persons.length,
      cases: this.cases.length,
      events: sum((c) => c.events.length),
      payments: sum((c) => c.payments.length),
    };
  }

  // ---- reference data -------------------------------------------------------------------------------

  private buildRegions(): void {
    this.regions.push({ code: PROVINCE.code, name: PROVINCE.name, level: 'PROVINCE', parent: null, path: PROVINCE.code });
    const cityPath = `${PROVINCE.code}/${CITY.code}`;
    this.regions.push({ code: CITY.code, name: CITY.name, level: 'CITY', parent: PROVINCE.code, path: cityPath });
    for (const d of DISTRICTS) {
      const dPath = `${cityPath}/${d.code}`;
      this.regions.push({ code: d.code, name: d.name, level: 'DISTRICT', parent: CITY.code, path: dPath });
      for (const s of d.streets) {
        this.regions.push({ code: s.code, name: s.name, level: 'STREET', parent: d.code, path: `${dPath}/${s.code}` });
        for (let g = 1; g <= GRIDS_PER_STREET; g++)
          this.grids.push({ code: gridCode(s.code, g), name: `${s.name}第${g}网格`, street: s.code });
      }
    }
  }

  private district(code: string): DistrictDef {
    const d = DISTRICTS.find((x) => x.code === code.slice(0, 6));
    if (!d) throw new Error(`no demo district for ${code}`);
    return d;
  }

  private buildEmployers(): void {
    for (const def of EMPLOYERS) {
      const street = this.rng.pick(this.district(def.district).streets).code;
      const row: EmployerRow = {
        id: this.rng.uuid(),
        def,
        uscc: uniqueUscc(this.rng, def.district, this.usccs),
        legalRepresentative: chineseName(this.rng),
        street,
        grid: gridCode(street, this.rng.int(1, GRIDS_PER_STREET)),
        createdAt: new Date(this.now.getTime() - this.rng.int(200, 900) * DAY),
      };
      this.employers.push(row);
      this.employerByKey.set(def.key, row);
    }
  }

  private agency(kind: AgencyKind, name: string, region: string, extra: Partial<AgencyRow> = {}): AgencyRow {
    const a: AgencyRow = { id: this.rng.uuid(), kind, name, region, ...extra };
    this.agencies.push(a);
    return a;
  }

  private user(agency: AgencyRow, roles: UserRole[], grid?: string, name?: string): UserRow {
    const u: UserRow = { id: this.rng.uuid(), agency: agency.id, name: name ?? chineseName(this.rng), roles, grid };
    this.users.push(u);
    return u;
  }

  private buildAgencies(): void {
    const city = CITY.code;
    const hrssCity = this.agency('HRSS_INSPECTION', '北京市人力资源和社会保障局劳动保障监察总队', city);
    this.user(hrssCity, ['DIRECTOR']);
    this.user(hrssCity, ['SUPERVISOR']);
    for (let i = 0; i < 3; i++) this.user(hrssCity, ['INSPECTOR']);
    this.user(hrssCity, ['INTAKE_CLERK']);

    this.construction = this.agency('INDUSTRY_REGULATOR', '北京市住房和城乡建设委员会', city, { sector: 'CONSTRUCTION' });
    for (let i = 0; i < 3; i++) this.user(this.construction, ['SUPERVISOR']);
    const transport = this.agency('INDUSTRY_REGULATOR', '北京市交通委员会', city, { sector: 'TRANSPORT' });
    this.user(transport, ['SUPERVISOR']);
    const water = this.agency('INDUSTRY_REGULATOR', '北京市水务局', city, { sector: 'WATER' });
    this.user(water, ['SUPERVISOR']);

    const policeCity = this.agency('POLICE', '北京市公安局', city);
    this.user(policeCity, ['OFFICER']);
    const procuratorate = this.agency('PROCURATORATE', '北京市人民检察院', city);
    this.user(procuratorate, ['OFFICER']);
    const union = this.agency('UNION', '北京市总工会', city);
    this.user(union, ['MEDIATOR']);
    this.user(union, ['MEDIATOR']);
    const petition = this.agency('PETITION_OFFICE', '北京市信访办公室', city);
    this.user(petition, ['OFFICER']);
    const justice = this.agency('JUSTICE_BUREAU', '北京市司法局', city);
    this.user(justice, ['MEDIATOR']);
    this.integrator = this.agency('INTEGRATOR', '北京市12345市民服务热线', city, { channel: 'HOTLINE_12345' });
    this.integratorUser = this.user(this.integrator, ['INTEGRATOR'], undefined, '12345热线接口');

    for (const hq of CONTRACTOR_HQS) {
      const employer = this.employerByKey.get(hq)!;
      const a = this.agency('CONTRACTOR_HQ', `${employer.def.name}总部`, employer.def.district, { employerId: employer.id });
      this.user(a, ['LIAISON']);
      this.user(a, ['LIAISON']);
    }

    for (const d of DISTRICTS) {
      const hrss = this.agency('HRSS_INSPECTION', `北京市${d.name}人力资源和社会保障局劳动保障监察大队`, d.code, { parent: hrssCity.id });
      const director = this.user(hrss, ['DIRECTOR', 'INSPECTOR']);
      const supervisor = this.user(hrss, ['SUPERVISOR', 'INSPECTOR']);
      const inspectors = [director, supervisor];
      for (let i = 0; i < 6; i++) inspectors.push(this.user(hrss, ['INSPECTOR']));
      const clerks = [this.user(hrss, ['INTAKE_CLERK']), this.user(hrss, ['INTAKE_CLERK'])];

      const gov = this.agency('DISTRICT_GOVERNMENT', `北京市${d.name}人民政府`, d.code);
      this.user(gov, ['OFFICER']);
      const streetOfficers = new Map<string, UserRow>();
      const gridWorkers: UserRow[] = [];
      for (const s of d.streets) {
        const street = this.agency('STREET_GOVERNMENT', `北京市${d.name}人民政府${s.name}办事处`, s.code, { parent: gov.id });
        streetOfficers.set(s.code, this.user(street, ['OFFICER']));
        for (let g = 1; g <= GRIDS_PER_STREET; g++) gridWorkers.push(this.user(street, ['GRID_WORKER'], gridCode(s.code, g)));
      }
      const police = this.agency('POLICE', `北京市公安局${d.short}分局`, d.code, { parent: policeCity.id });
      const policeOfficer = this.user(police, ['OFFICER']);
      this.staff.set(d.code, {
        def: d,
        hrss,
        clerks,
        inspectors,
        supervisor,
        director,
        police,
        policeOfficer,
        gridWorkers,
        streetOfficers,
      });
    }

    // District bodies the mediations and referrals of the seed stories involve.
    const xicheng = '110102';
    this.user(this.agency('PROCURATORATE', '北京市西城区人民检察院', xicheng, { parent: procuratorate.id }), ['OFFICER']);
    this.user(this.agency('UNION', '北京市西城区总工会', xicheng, { parent: union.id }), ['MEDIATOR']);
    this.user(this.agency('JUSTICE_BUREAU', '北京市西城区司法局', xicheng, { parent: justice.id }), ['MEDIATOR']);
    this.user(this.agency('COURT', '北京市西城区人民法院', xicheng), ['OFFICER']);
    this.user(this.agency('COURT', '北京市朝阳区人民法院', '110105'), ['OFFICER']);
    this.user(this.agency('PETITION_OFFICE', '北京市朝阳区信访办公室', '110105', { parent: petition.id }), ['OFFICER']);
    // The bodies of HRSS outside inspection a case may be referred to (转介): labour dispute arbitration, work injury.
    const arbitration = this.agency('LABOUR_ARBITRATION', '北京市劳动人事争议仲裁委员会', city);
    this.user(arbitration, ['OFFICER']);
    this.user(this.agency('LABOUR_ARBITRATION', '北京市西城区劳动人事争议仲裁委员会', xicheng, { parent: arbitration.id }), ['OFFICER']);
    this.user(this.agency('WORK_INJURY_OFFICE', '北京市西城区人力资源和社会保障局工伤认定科', xicheng), ['OFFICER']);
  }

  private buildProjects(): void {
    const regulatorUsers = this.users.filter((u) => u.agency === this.construction.id);
    PROJECTS.forEach((p, i) => {
      const d = this.district(p.street);
      const staff = this.staff.get(d.code)!;
      const year = 2024 + (i % 3);
      const streetOfficer = staff.streetOfficers.get(p.street)!;
      const regulatorUser = regulatorUsers[i % regulatorUsers.length]!;
      const inspector = staff.inspectors[2 + (i % (staff.inspectors.length - 2))]!;
      const team: TeamMember[] = [
        { role: 'STREET_OFFICER', name: streetOfficer.name, mobile: uniqueMobile(this.rng, this.mobiles), userId: streetOfficer.id },
        { role: 'REGULATOR_SUPERVISOR', name: regulatorUser.name, mobile: uniqueMobile(this.rng, this.mobiles), userId: regulatorUser.id },
        { role: 'LABOUR_INSPECTOR', name: inspector.name, mobile: uniqueMobile(this.rng, this.mobiles), userId: inspector.id },
        { role: 'PROJECT_MANAGER', name: chineseName(this.rng), mobile: uniqueMobile(this.rng, this.mobiles) },
        { role: 'LABOUR_WAGE_SPECIALIST', name: chineseName(this.rng), mobile: uniqueMobile(this.rng, this.mobiles) },
      ];
      const row: ProjectRow = {
        id: this.rng.uuid(),
        code: `XM-${d.code}-${year}-${String(i + 1).padStart(3, '0')}`,
        name: p.name,
        street: p.street,
        constructionUnit: this.employerByKey.get(p.constructionUnit)!.id,
        generalContractor: this.employerByKey.get(p.generalContractor)!.id,
        subcontractors: p.subcontractors.map((k) => this.employerByKey.get(k)!.id),
        regulator: this.construction.id,
        team,
        // Wage special account: a few months of the payroll; deposit: a fixed guarantee (¥0.5–3M).
        wageAccountBalanceFen: p.status === 'PLANNED' ? 0 : p.workers * this.rng.int(3_000, 15_000) * 100,
        wageDepositFen: this.rng.int(50, 300) * 10_000 * 100,
        workerCount: p.workers,
        status: p.status,
        createdAt: new Date(this.now.getTime() - this.rng.int(150, 700) * DAY),
      };
      this.projects.push(row);
      this.projectByKey.set(p.key, row);
    });
  }

  private person(name: string | null, withResidentId: boolean, at: Date): PersonRow {
    const p: PersonRow = {
      id: this.rng.uuid(),
      name,
      mobile: uniqueMobile(this.rng, this.mobiles),
      residentId: withResidentId ? uniqueResidentId(this.rng, this.residentIds, this.now) : null,
      createdAt: at,
    };
    this.persons.push(p);
    return p;
  }

  private channelRef(channel: Channel, at: Date): string | undefined {
    const n = (this.channelRefSeq.get(channel) ?? 0) + 1;
    this.channelRefSeq.set(channel, n);
    const day = beijingDate(at).replace(/-/g, '');
    switch (channel) {
      case 'HOTLINE_12345':
        return `BJ12345-${day}-${String(n).padStart(5, '0')}`;
      case 'HOTLINE_12333':
        return `12333-${day}-${String(n).padStart(4, '0')}`;
      case 'NATIONAL_PLATFORM':
        return `GZQX${day}${String(n).padStart(6, '0')}`;
      case 'PROVINCIAL_SYSTEM':
        return `BJQX-${day}-${String(n).padStart(5, '0')}`;
      case 'QR_FORM':
        return `QR${day}${String(n).padStart(5, '0')}`;
      case 'POLICE_ALERT':
        return `JQ${day}${String(n).padStart(5, '0')}`;
      case 'GRID_PATROL':
        return `WG-${day}-${String(n).padStart(4, '0')}`;
      case 'WALK_IN':
        return undefined;
    }
  }

  private actor(u: UserRow | undefined): Actor | undefined {
    return u ? { userId: u.id, agencyId: u.agency } : undefined;
  }

  private employer(key: string): EmployerRow {
    return this.employerByKey.get(key)!;
  }

  // ---- the seed stories -----------------------------------------------------------------------------

  /**
   * The cases the seed articles tell (../shared/seeds), told as Anxin would have recorded them. Dates the
   * articles leave out are chosen to fit their circumstances.
   */
  private buildSeedStories(): void {
    const xc = this.staff.get('110102')!;
    const gwm = this.projectByKey.get('p-gwm')!;
    const jingzhu = this.employer('gc-jingzhu');

    // Seed 000: four days before New Year's Eve (除夕 2026-02-16), police report dozens of workers gathering at
    // a Xicheng site. Contract variations and a construction unit that had not paid in full left 49 workers owed
    // ¥637,130; the team lead went on site, sick, and the general contractor raised the money and paid every
    // worker by 23:00 the same night. The article says the alert came from the police (警情通报); a worker's
    // 12345 call the same afternoon joins the case.
    {
      const at = bj(2026, 2, 12, 14, 10);
      const rep = this.person(chineseName(this.rng), true, at);
      const caller = this.person(chineseName(this.rng), false, at);
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'POLICE_ALERT',
            channelRef: this.channelRef('POLICE_ALERT', at),
            receivedAt: at,
            sector: 'CONSTRUCTION',
            region: gwm.street,
            owningAgency: xc.hrss.id,
            complainant: rep.id,
            workersAffected: 49,
            amountClaimedFen: 63_713_000,
            project: gwm.id,
            description:
              '警情通报:某工地项目部数十名农民工聚集讨薪。工程施工中存在合同洽商增项,建设单位未按约定足额支付工程款,致49名农民工劳务费被拖欠,共计63.713万元。距除夕仅4天。',
            actor: this.actor(xc.policeOfficer),
          },
          [
            {
              kind: 'join',
              at: bj(2026, 2, 12, 14, 35),
              personId: caller.id,
              channel: 'HOTLINE_12345',
              channelRef: this.channelRef('HOTLINE_12345', at),
              actor: this.actor(this.integratorUser),
            },
            {
              kind: 'contact',
              at: bj(2026, 2, 12, 15, 5),
              contact: 'VISIT',
              outcome: 'REACHED',
              notes: '大队负责人带病赶赴现场,当场承诺负责解决,请工人配合核算工程增量',
              actor: this.actor(xc.director),
            },
            { kind: 'accept', at: bj(2026, 2, 12, 15, 30), employer: this.employer('ls-minggong').id, actor: this.actor(xc.director) },
            { kind: 'lead', at: bj(2026, 2, 12, 15, 32), inspectorId: xc.director.id, actor: this.actor(xc.director) },
            {
              kind: 'payment',
              at: bj(2026, 2, 12, 23, 0),
              amountFen: 63_713_000,
              workersPaid: 49,
              payer: jingzhu.def.name,
              source: 'GENERAL_CONTRACTOR',
              actor: this.actor(xc.director),
            },
          ],
        ),
      );
    }

    // Seed 000: a 12345 call: 20-odd staff of a restaurant owed two months' wages, the restaurant inside a
    // lockdown zone. Inspectors went in protective suits, sent the owner the relief "policy package" by QR
    // code, and at 22:24 that day ¥166,580 reached 22 workers.
    {
      const at = bj(2022, 11, 25, 10, 15);
      const worker = this.person(chineseName(this.rng), false, at);
      const weihexuan = this.employer('ct-weihexuan');
      const inspector = xc.inspectors[3]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'HOTLINE_12345',
            channelRef: this.channelRef('HOTLINE_12345', at),
            receivedAt: at,
            sector: 'OTHER',
            region: '110102003',
            owningAgency: xc.hrss.id,
            complainant: worker.id,
            workersAffected: 22,
            amountClaimedFen: 16_658_000,
            employer: weihexuan.id,
            description: '某餐饮公司20余名员工两个月工资被拖欠;经营地处于封控区域,企业营业收入骤减、资金周转困难。',
            actor: this.actor(this.integratorUser),
          },
          [
            { kind: 'contact', at: bj(2022, 11, 25, 11, 0), contact: 'CALL', outcome: 'REACHED', actor: this.actor(inspector) },
            { kind: 'accept', at: bj(2022, 11, 25, 11, 20), actor: this.actor(xc.supervisor) },
            { kind: 'lead', at: bj(2022, 11, 25, 11, 25), inspectorId: inspector.id, actor: this.actor(xc.supervisor) },
            {
              kind: 'contact',
              at: bj(2022, 11, 25, 14, 30),
              contact: 'VISIT',
              outcome: 'REACHED',
              notes: '穿防护服进入封控区现场处置,向企业推送复工复产“二维码政策包”',
              actor: this.actor(inspector),
            },
            {
              kind: 'payment',
              at: bj(2022, 11, 25, 22, 24),
              amountFen: 16_658_000,
              workersPaid: 22,
              payer: weihexuan.def.name,
              source: 'EMPLOYER',
              actor: this.actor(inspector),
            },
            { kind: 'callback', at: bj(2022, 11, 28, 10, 0), paidInFull: true, satisfied: true, actor: this.actor(inspector) },
            { kind: 'close', at: bj(2022, 11, 28, 10, 5), actor: this.actor(inspector) },
          ],
        ),
      );
    }

    // Seed 004: a courier complains through the 12333 hotline that the delivery company owes him; the office
    // reaches the company the same day and he is paid within 3 days.
    {
      const ft = this.staff.get('110106')!;
      const at = bj(2026, 9, 15, 9, 40);
      const courier = this.person(chineseName(this.rng), true, at);
      const sudi = this.employer('lg-sudi');
      const inspector = ft.inspectors[2]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'HOTLINE_12333',
            channelRef: this.channelRef('HOTLINE_12333', at),
            receivedAt: at,
            sector: 'OTHER',
            region: '110106009',
            owningAgency: ft.hrss.id,
            complainant: courier.id,
            workersAffected: 1,
            amountClaimedFen: 680_000,
            employer: sudi.id,
            description: '快递员反映公司拖欠两个月派件费及工资,共计6800元。',
            actor: this.actor(ft.clerks[0]),
          },
          [
            { kind: 'contact', at: bj(2026, 9, 15, 10, 30), contact: 'CALL', outcome: 'REACHED', actor: this.actor(inspector) },
            { kind: 'accept', at: bj(2026, 9, 15, 14, 0), actor: this.actor(ft.supervisor) },
            { kind: 'lead', at: bj(2026, 9, 15, 14, 5), inspectorId: inspector.id, actor: this.actor(ft.supervisor) },
            {
              kind: 'payment',
              at: bj(2026, 9, 18, 16, 0),
              amountFen: 680_000,
              workersPaid: 1,
              payer: sudi.def.name,
              source: 'EMPLOYER',
              actor: this.actor(inspector),
            },
            { kind: 'callback', at: bj(2026, 9, 21, 9, 30), paidInFull: true, satisfied: true, actor: this.actor(inspector) },
            { kind: 'close', at: bj(2026, 9, 21, 9, 35), actor: this.actor(inspector) },
          ],
        ),
      );
    }

    // Seed 004 (Ezhou, 鄂城区, told here in Fengtai): 刘女士 complains on 28 August that a restaurant owes her
    // ¥8,000; the office brings both sides together in several rounds and she is paid in full on 1 September.
    {
      const ft = this.staff.get('110106')!;
      const at = bj(2026, 8, 28, 9, 15);
      const liu = this.person('刘女士', true, at);
      const restaurant = this.employer('ct-jinghua');
      const inspector = ft.inspectors[1]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'WALK_IN',
            channelRef: this.channelRef('WALK_IN', at),
            receivedAt: at,
            sector: 'OTHER',
            region: '110106001',
            owningAgency: ft.hrss.id,
            complainant: liu.id,
            workersAffected: 1,
            amountClaimedFen: 800_000,
            employer: restaurant.id,
            description: '刘女士投诉辖区某餐饮店拖欠工资8000元,孩子学费生活费没有着落。',
            actor: this.actor(ft.clerks[0]),
          },
          [
            { kind: 'contact', at: bj(2026, 8, 28, 10, 0), contact: 'CALL', outcome: 'REACHED', actor: this.actor(inspector) },
            { kind: 'accept', at: bj(2026, 8, 28, 15, 0), actor: this.actor(ft.supervisor) },
            { kind: 'lead', at: bj(2026, 8, 28, 15, 5), inspectorId: inspector.id, actor: this.actor(ft.supervisor) },
            {
              kind: 'payment',
              at: bj(2026, 9, 1, 16, 30),
              amountFen: 800_000,
              workersPaid: 1,
              payer: restaurant.def.name,
              source: 'EMPLOYER',
              actor: this.actor(inspector),
            },
            { kind: 'callback', at: bj(2026, 9, 3, 10, 0), paidInFull: true, satisfied: true, actor: this.actor(inspector) },
            { kind: 'close', at: bj(2026, 9, 3, 10, 10), actor: this.actor(ft.supervisor) },
          ],
        ),
      );
    }

    // Seed 004: a grid worker on patrol sees the first signs of arrears at a supermarket, goes in to mediate,
    // and the wages are settled that same day.
    {
      const cp = this.staff.get('110114')!;
      const at = bj(2026, 11, 10, 10, 20);
      const gridWorker = cp.gridWorkers.find((u) => u.grid?.startsWith('110114005')) ?? cp.gridWorkers[0]!;
      const cashier = this.person(chineseName(this.rng), false, at);
      const shop = this.employer('rt-changfeng');
      const inspector = cp.inspectors[4]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'GRID_PATROL',
            channelRef: this.channelRef('GRID_PATROL', at),
            receivedAt: at,
            sector: 'OTHER',
            region: '110114005',
            owningAgency: cp.hrss.id,
            complainant: cashier.id,
            workersAffected: 6,
            amountClaimedFen: 3_960_000,
            employer: shop.id,
            description: '网格员巡查发现超市有欠薪苗头:6名收银员、理货员上月工资未发,共计3.96万元。',
            actor: this.actor(gridWorker),
          },
          [
            {
              kind: 'contact',
              at: bj(2026, 11, 10, 10, 40),
              contact: 'VISIT',
              outcome: 'REACHED',
              // Recorded by the inspector who went with the grid worker: contacts are labour inspection's step.
              notes: '监察员会同网格员上门协调',
              actor: this.actor(inspector),
            },
            { kind: 'accept', at: bj(2026, 11, 10, 11, 30), actor: this.actor(cp.supervisor) },
            { kind: 'lead', at: bj(2026, 11, 10, 11, 35), inspectorId: inspector.id, actor: this.actor(cp.supervisor) },
            {
              kind: 'payment',
              at: bj(2026, 11, 10, 17, 45),
              amountFen: 3_960_000,
              workersPaid: 6,
              payer: shop.def.name,
              source: 'EMPLOYER',
              actor: this.actor(inspector),
            },
          ],
        ),
      );
    }

    // Seed 001: zero-threshold intake. Twenty-odd workers come to the window with no evidence: a gang master,
    // Liu, took them across several sites and most never saw a fen (over ¥200,000). The clerk registers the
    // complaint on the spot; inspectors check attendance and pay records on site and find the general
    // contractor had not paid wages on the subcontractor's behalf. Investigation is under way.
    {
      const cy = this.staff.get('110105')!;
      const at = bj(2026, 11, 5, 9, 50);
      const worker = this.person(chineseName(this.rng), true, at);
      const project = this.projectByKey.get('p-jw')!;
      const inspector = cy.inspectors[5]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'WALK_IN',
            receivedAt: at,
            sector: 'CONSTRUCTION',
            region: '110105001',
            owningAgency: cy.hrss.id,
            complainant: worker.id,
            workersAffected: 23,
            amountClaimedFen: 21_500_000,
            employerNameGiven: '包工头刘某(姓名、单位不详)',
            description:
              '20余名农民工到窗口投诉:跟随包工头刘某在城区多个项目工地做工,大部分工人未拿到工资,共被拖欠20多万元,无书面证据。零门槛受理。',
            actor: this.actor(cy.clerks[0]),
          },
          [
            {
              kind: 'contact',
              at: bj(2026, 11, 5, 10, 5),
              contact: 'VISIT',
              outcome: 'REACHED',
              notes: '窗口当面登记投诉人基本信息,告知后续程序',
              actor: this.actor(cy.clerks[0]),
            },
            { kind: 'lead', at: bj(2026, 11, 5, 11, 0), inspectorId: inspector.id, actor: this.actor(cy.supervisor) },
            {
              kind: 'contact',
              at: bj(2026, 11, 6, 15, 0),
              contact: 'VISIT',
              outcome: 'REACHED',
              notes: '赴工地核查考勤及工资发放记录:总包未履行代发责任,包工头挪用工资',
              actor: this.actor(inspector),
            },
            {
              kind: 'accept',
              at: bj(2026, 11, 7, 10, 0),
              employer: this.employer('ls-shunli').id,
              project: project.id,
              actor: this.actor(inspector),
            },
          ],
        ),
      );
    }
    // Seed 002: the city's first criminal case against an individual gang master (个体包工头) who took on the labour
    // of a site and did not pay 72 workers ¥210,000. An order to pay (限期支付) was missed, the case was referred to
    // the police, who filed it (立案); after the arrest the wages were paid in full. The article (2013) names
    // neither the site nor the people, nor how the complaint came: told here in Fengtai, received 20 days before
    // the demo's today at the window, on the project of an unqualified subcontractor, the general contractor the
    // employer of record (保障农民工工资支付条例 第三十六条: a contractor that subcontracts to an individual pays the
    // arrears). This plays the intake and acceptance; the roster of 72 workers, the referral through to FILED and
    // the payment per worker are steps through the API's services (`startDemoProcesses`, demo-processes.ts).
    {
      const ft = this.staff.get('110106')!;
      const day = beijingDate(new Date(this.now.getTime() - 20 * DAY));
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      const at = bj(y, m, d, 9, 30);
      const worker = this.person(chineseName(this.rng), true, at);
      const project = this.projectByKey.get('p-ft')!;
      const inspector = ft.inspectors[3]!;
      this.cases.push(
        playCase(
          this.rng,
          {
            id: this.rng.uuid(),
            channel: 'WALK_IN',
            receivedAt: at,
            sector: 'CONSTRUCTION',
            region: project.street,
            owningAgency: ft.hrss.id,
            complainant: worker.id,
            workersAffected: SEED_002.workers,
            amountClaimedFen: SEED_002.amountFen,
            project: project.id,
            description: SEED_002.description,
            actor: this.actor(ft.clerks[1]),
          },
          [
            {
              kind: 'contact',
              at: new Date(at.getTime() + 20 * MINUTE),
              contact: 'VISIT',
              outcome: 'REACHED',
              actor: this.actor(ft.clerks[1]),
            },
            {
              kind: 'accept',
              at: new Date(at.getTime() + 5 * HOUR),
              employer: project.generalContractor,
              project: project.id,
              actor: this.actor(ft.supervisor),
            },
            {
              kind: 'lead',
              at: new Date(at.getTime() + 5 * HOUR + 5 * MINUTE),
              inspectorId: inspector.id,
              actor: this.actor(ft.supervisor),
            },
          ],
        ),
      );
    }
  }

  // ---- random cases ---------------------------------------------------------------------------------

  private statusFor(ageDays: number): CaseStatus {
    if (ageDays < 0.5) return this.rng.weighted({ RECEIVED: 75, ACCEPTED: 15, IN_PROGRESS: 10 });
    if (ageDays < 5) return this.rng.weighted({ RECEIVED: 25, ACCEPTED: 25, IN_PROGRESS: 30, RESOLVED: 10, REJECTED: 5, TRANSFERRED: 5 });
    if (ageDays < 30)
      return this.rng.weighted({ RECEIVED: 4, ACCEPTED: 8, IN_PROGRESS: 38, RESOLVED: 25, CLOSED: 15, REJECTED: 6, TRANSFERRED: 4 });
    return this.rng.weighted({ RECEIVED: 1, ACCEPTED: 2, IN_PROGRESS: 12, RESOLVED: 15, CLOSED: 58, REJECTED: 7, TRANSFERRED: 5 });
  }

  /** A time of receipt `ageDays` before now: mostly office hours, some evenings and nights (hotlines never close). */
  private receivedAt(ageDays: number): Date {
    const day = beijingDate(new Date(this.now.getTime() - ageDays * DAY));
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const minuteOfDay = this.rng.chance(0.85) ? this.rng.int(8 * 60 + 30, 17 * 60 + 59) : this.rng.int(0, 24 * 60 - 1);
    let at = bj(y, m, d, 0, minuteOfDay);
    if (at.getTime() > this.now.getTime() - 10 * MINUTE) at = new Date(this.now.getTime() - this.rng.int(10, 180) * MINUTE);
    return at;
  }

  /** A moment after `from`, `target` later if that is before now, else part of the way to now. */
  private after(from: Date, targetMs: number, share = 0.4): Date {
    const room = this.now.getTime() - from.getTime();
    return new Date(from.getTime() + Math.max(1000, Math.min(targetMs, room * share)));
  }

  private buildRandomCase(): void {
    const rng = this.rng;
    const d = this.district(rng.weighted(Object.fromEntries(DISTRICTS.map((x) => [x.code, x.weight]))));
    const staff = this.staff.get(d.code)!;
    const channel = rng.weighted(CHANNEL_WEIGHTS);
    const ageDays = Math.pow(rng.next(), 1.3) * AGE_DAYS;
    const receivedAt = this.receivedAt(ageDays);
    const street = rng.pick(d.streets).code;
    const region = channel === 'GRID_PATROL' || rng.chance(0.8) ? street : d.code;
    const status = this.statusFor((this.now.getTime() - receivedAt.getTime()) / DAY);

    // What the case is about: a construction site (often a known project) or another trade.
    const construction = rng.chance(channel === 'POLICE_ALERT' || channel === 'GRID_PATROL' ? 0.75 : 0.55);
    const industry: Industry = construction ? 'CONSTRUCTION' : rng.weighted({ CATERING: 40, LOGISTICS: 25, RETAIL: 20, MANUFACTURING: 15 });
    const districtProjects = this.projects.filter((p) => p.street.startsWith(d.code) && p.status !== 'PLANNED');
    const project = construction && districtProjects.length > 0 && rng.chance(0.6) ? rng.pick(districtProjects) : undefined;
    const candidates = this.employers.filter(
      (e) =>
        e.def.industry === industry &&
        (industry !== 'CONSTRUCTION' || e.def.role !== 'CONSTRUCTION_UNIT') &&
        (e.def.district === d.code || rng.chance(0.3)),
    );
    const projectEmployer = project ? rng.pick([project.generalContractor, ...project.subcontractors]) : undefined;
    const employer = projectEmployer
      ? this.employers.find((e) => e.id === projectEmployer)!
      : rng.pick(candidates.length > 0 ? candidates : this.employers.filter((e) => e.def.industry === industry));
    const employerKnownAtIntake = channel === 'GRID_PATROL' || rng.chance(0.5);

    const workers = construction ? 1 + Math.floor(-Math.log(1 - rng.next()) * 12) : 1 + Math.floor(-Math.log(1 - rng.next()) * 3);
    const months = rng.int(1, construction ? 5 : 3);
    const claimed = rng.chance(0.8) ? workers * months * rng.int(40, 120) * 10_000 : undefined; // ¥4,000–12,000 a month
    const template = rng.pick(COMPLAINT_TEXTS[industry]);
    const description = template
      .replace('%w', String(workers))
      .replace('%m', String(months))
      .replace('%a', claimed ? String(claimed / 100) : '若干');

    // Now and then someone complains again (another employer, another time): an earlier complainant.
    const earlier = rng.chance(0.08) ? this.persons.filter((p) => p.createdAt <= receivedAt) : [];
    const complainant =
      earlier.length > 10 ? rng.pick(earlier) : this.person(rng.chance(0.85) ? chineseName(rng) : null, rng.chance(0.3), receivedAt);

    const clerk = rng.pick(staff.clerks);
    const gridWorker = staff.gridWorkers.find((u) => u.grid?.startsWith(street)) ?? rng.pick(staff.gridWorkers);
    const intakeActor: Actor | undefined = {
      HOTLINE_12345: this.actor(this.integratorUser),
      HOTLINE_12333: this.actor(clerk),
      NATIONAL_PLATFORM: undefined,
      PROVINCIAL_SYSTEM: undefined,
      QR_FORM: undefined,
      WALK_IN: this.actor(clerk),
      GRID_PATROL: this.actor(gridWorker),
      POLICE_ALERT: this.actor(staff.policeOfficer),
    }[channel];

    const intake: Intake = {
      id: rng.uuid(),
      channel,
      channelRef: this.channelRef(channel, receivedAt),
      receivedAt,
      sector: construction ? 'CONSTRUCTION' : 'OTHER',
      region,
      owningAgency: staff.hrss.id,
      complainant: complainant.id,
      workersAffected: workers,
      amountClaimedFen: claimed,
      employer: employerKnownAtIntake ? employer.id : undefined,
      employerNameGiven: employerKnownAtIntake ? undefined : this.nameAsGiven(employer),
      project: project?.id,
      description,
      actor: intakeActor,
    };

    this.cases.push(playCase(rng, intake, this.randomSteps(intake, status, staff, employer, project)));
  }

  private randomSteps(
    intake: Intake,
    status: CaseStatus,
    staff: DistrictStaff,
    employer: EmployerRow,
    project: ProjectRow | undefined,
  ): Step[] {
    const rng = this.rng;
    const steps: Step[] = [];
    const clerk = rng.pick(staff.clerks);
    const lead = rng.pick(staff.inspectors);
    const sameDayDue = sameDayContactDeadline(intake.receivedAt).getTime();
    const acceptanceDue = acceptanceDeadline(intake.receivedAt, intake.channel).getTime();
    let t = intake.receivedAt;

    // A second worker complaining about the same thing through another door joins the case.
    if (status !== 'REJECTED' && rng.chance(0.07)) {
      const other = this.person(chineseName(rng), false, t);
      const channel: Channel = intake.channel === 'HOTLINE_12345' ? 'HOTLINE_12333' : 'HOTLINE_12345';
      t = this.after(t, rng.int(20, 600) * MINUTE, 0.2);
      steps.push({
        kind: 'join',
        at: t,
        personId: other.id,
        channel,
        channelRef: this.channelRef(channel, t),
        actor: channel === 'HOTLINE_12345' ? this.actor(this.integratorUser) : this.actor(clerk),
      });
    }

    // 首日对接: most are reached on time; some first attempts go unanswered; a few are late.
    const contacted = status !== 'RECEIVED' || rng.chance(0.65);
    if (contacted) {
      if (rng.chance(0.15)) {
        t = this.after(t, rng.int(5, 90) * MINUTE, 0.1);
        steps.push({ kind: 'contact', at: t, contact: 'CALL', outcome: 'NO_ANSWER', actor: this.actor(clerk) });
      }
      const window = Math.max(MINUTE, sameDayDue - t.getTime());
      const target = rng.chance(0.08) ? window + rng.int(1, 20) * HOUR : window * Math.pow(rng.next(), 2);
      t = this.after(t, target, 0.3);
      const kind = intake.channel === 'GRID_PATROL' || intake.channel === 'POLICE_ALERT' ? 'VISIT' : rng.chance(0.05) ? 'SMS' : 'CALL';
      steps.push({ kind: 'contact', at: t, contact: kind, outcome: 'REACHED', actor: this.actor(rng.chance(0.5) ? clerk : lead) });
    }
    if (status === 'RECEIVED') return steps;

    // Accept, reject or transfer within the acceptance window (a few late).
    const decide = () => {
      const window = Math.max(10 * MINUTE, acceptanceDue - t.getTime());
      t = this.after(t, rng.chance(0.05) ? window + rng.int(2, 48) * HOUR : window * rng.next() * 0.8, 0.4);
      return t;
    };
    if (status === 'REJECTED') {
      steps.push({ kind: 'reject', at: decide(), reason: rng.pick(REJECTION_REASONS), actor: this.actor(staff.supervisor) });
      return steps;
    }
    if (status === 'TRANSFERRED' && rng.chance(0.7)) {
      const target = rng.pick(TRANSFER_TARGETS);
      steps.push({ kind: 'transfer', at: decide(), to: target.to, reason: target.reason, actor: this.actor(staff.supervisor) });
      return steps;
    }
    if (status === 'ACCEPTED' && rng.chance(0.4)) {
      // The lead was named while the complaint was still being checked; it stays ACCEPTED.
      t = this.after(t, rng.int(10, 240) * MINUTE, 0.2);
      steps.push({ kind: 'lead', at: t, inspectorId: lead.id, actor: this.actor(staff.supervisor) });
    }
    // Zero threshold: if the worker could not name the employer, the inspector identifies it before acceptance.
    const acceptedAt = decide();
    steps.push({
      kind: 'accept',
      at: acceptedAt,
      employer: intake.employer ? undefined : employer.id,
      actor: this.actor(staff.supervisor),
    });
    if (status === 'ACCEPTED') return steps;
    if (status === 'TRANSFERRED') {
      const target = rng.pick(TRANSFER_TARGETS);
      t = this.after(t, rng.int(1, 5) * DAY, 0.4);
      steps.push({ kind: 'transfer', at: t, to: target.to, reason: target.reason, actor: this.actor(staff.supervisor) });
      return steps;
    }

    t = this.after(t, rng.int(5, 20 * 60) * MINUTE, 0.3);
    steps.push({ kind: 'lead', at: t, inspectorId: lead.id, actor: this.actor(staff.supervisor) });
    if (status === 'IN_PROGRESS') return steps;

    // Wages paid: sometimes in two instalments; the last one settles the case.
    const resolutionDue = resolutionDeadline(acceptedAt, intake.channel).getTime();
    const claimed = intake.amountClaimedFen ?? (intake.workersAffected ?? 1) * rng.int(50, 120) * 10_000;
    const total = rng.chance(0.85) ? claimed : Math.round((claimed * rng.int(60, 95)) / 100 / 100) * 100;
    const workers = intake.workersAffected ?? 1;
    const source: PaymentSource =
      intake.sector === 'CONSTRUCTION'
        ? rng.weighted({ GENERAL_CONTRACTOR: 45, EMPLOYER: 35, WAGE_DEPOSIT: 10, WAGE_ACCOUNT: 10 })
        : 'EMPLOYER';
    const payer = this.payerName(source, employer, project);
    const window = Math.max(HOUR, resolutionDue - t.getTime());
    const finalTarget = rng.chance(0.1) ? window + rng.int(1, 15) * DAY : window * rng.next() * 0.7;
    if (total >= 200_000 && workers > 1 && rng.chance(0.2)) {
      const first = Math.round(total / 2 / 100) * 100;
      t = this.after(t, finalTarget / 2, 0.3);
      steps.push({ kind: 'payment', at: t, amountFen: first, workersPaid: Math.ceil(workers / 2), payer, source, actor: this.actor(lead) });
      t = this.after(t, finalTarget / 2, 0.5);
      steps.push({
        kind: 'payment',
        at: t,
        amountFen: total - first,
        workersPaid: workers - Math.ceil(workers / 2),
        payer,
        source,
        settles: true,
        actor: this.actor(lead),
      });
    } else {
      t = this.after(t, finalTarget, 0.6);
      steps.push({ kind: 'payment', at: t, amountFen: total, workersPaid: workers, payer, source, settles: true, actor: this.actor(lead) });
    }
    if (status === 'RESOLVED') return steps;

    // 回访, then closed.
    t = this.after(t, rng.int(1, 5) * DAY, 0.5);
    steps.push({ kind: 'callback', at: t, paidInFull: total >= claimed, satisfied: rng.chance(0.93), actor: this.actor(lead) });
    t = this.after(t, rng.int(10, 120) * MINUTE, 0.5);
    steps.push({ kind: 'close', at: t, actor: this.actor(lead) });
    return steps;
  }

  /** How a worker names an employer they cannot identify: the shop sign, or the gang master. */
  private nameAsGiven(employer: EmployerRow): string {
    const place: Record<Industry, string> = {
      CONSTRUCTION: '工地',
      CATERING: '饭店',
      LOGISTICS: '快递站',
      RETAIL: '超市',
      MANUFACTURING: '工厂',
      OTHER: '公司',
    };
    if (employer.def.industry === 'CONSTRUCTION' && this.rng.chance(0.6)) return `包工头${this.rng.pick([...'王李张刘陈杨赵黄'])}某`;
    return employer.def.name.replace(/^(北京|河北|中冶)/, '').slice(0, 3) + place[employer.def.industry];
  }

  private payerName(source: PaymentSource, employer: EmployerRow, project: ProjectRow | undefined): string {
    if (!project) return employer.def.name;
    const gc = this.employers.find((e) => e.id === project.generalContractor)!;
    switch (source) {
      case 'GENERAL_CONTRACTOR':
        return gc.def.name;
      case 'WAGE_DEPOSIT':
        return `${project.name}农民工工资保证金`;
      case 'WAGE_ACCOUNT':
        return `${project.name}农民工工资专用账户`;
      default:
        return employer.def.name;
    }
  }

  /** Case numbers per district and year, in order of receipt, as the intake counter would have handed them out. */
  private numberCases(): void {
    this.cases.sort((a, b) => a.draft.receivedAt.getTime() - b.draft.receivedAt.getTime());
    const last = new Map<string, number>();
    for (const c of this.cases) {
      const year = beijingDate(c.draft.receivedAt).slice(0, 4);
      const key = `${c.draft.district}-${year}`;
      const n = (last.get(key) ?? 0) + 1;
      last.set(key, n);
      c.draft.number = `${key}-${String(n).padStart(6, '0')}`;
    }
    this.counters = [...last.entries()].map(([key, n]) => ({ district: key.slice(0, 6), year: Number(key.slice(7)), last: n }));
  }

  // ---- writing --------------------------------------------------------------------------------------

  async insert(sql: Sql): Promise<void> {
    const U = 'uuid';
    const T = 'timestamptz';
    await insertRows(
      sql,
      'region',
      ['code', 'name', 'level', 'parent_code', 'path'],
      this.regions.map((r) => [r.code, r.name, r.level, r.parent, r.path]),
    );
    await insertRows(
      sql,
      'grid',
      ['code', 'name', 'street_code'],
      this.grids.map((g) => [g.code, g.name, g.street]),
    );
    await insertRows(
      sql,
      'employer',
      ['id', 'uscc', 'name', 'legal_representative', 'created_at', 'industry', 'region_code', 'grid_code', 'credit_grade'],
      this.employers.map((e) => [
        e.id,
        e.uscc,
        e.def.name,
        e.legalRepresentative,
        iso(e.createdAt),
        e.def.industry,
        e.street,
        e.grid,
        e.def.grade,
      ]),
      { casts: { id: U, created_at: T } },
    );
    // Parents before children (the agency tree references itself).
    const agencies = [...this.agencies.filter((a) => !a.parent), ...this.agencies.filter((a) => a.parent)];
    await insertRows(
      sql,
      'agency',
      ['id', 'kind', 'name', 'region_code', 'parent_id', 'sector', 'employer_id', 'channel'],
      agencies.map((a) => [a.id, a.kind, a.name, a.region, a.parent ?? null, a.sector ?? null, a.employerId ?? null, a.channel ?? null]),
      { casts: { id: U, parent_id: U, employer_id: U } },
    );
    await insertRows(
      sql,
      'app_user',
      ['id', 'agency_id', 'name', 'roles', 'grid_code'],
      this.users.map((u) => [u.id, u.agency, u.name, pgArray(u.roles), u.grid ?? null]),
      { casts: { id: U, agency_id: U, roles: 'text[]' } },
    );
    await insertRows(
      sql,
      'project',
      [
        'id',
        'code',
        'name',
        'region_code',
        'construction_unit_id',
        'general_contractor_id',
        'labour_subcontractors',
        'regulator_id',
        'team',
        'wage_account_balance_fen',
        'wage_deposit_fen',
        'worker_count',
        'status',
        'created_at',
      ],
      this.projects.map((p) => [
        p.id,
        p.code,
        p.name,
        p.street,
        p.constructionUnit,
        p.generalContractor,
        pgArray(p.subcontractors),
        p.regulator,
        json(p.team),
        p.wageAccountBalanceFen,
        p.wageDepositFen,
        p.workerCount,
        p.status,
        iso(p.createdAt),
      ]),
      {
        casts: {
          id: U,
          construction_unit_id: U,
          general_contractor_id: U,
          labour_subcontractors: 'uuid[]',
          regulator_id: U,
          team: 'jsonb',
          created_at: T,
        },
      },
    );
    await insertRows(
      sql,
      'person',
      ['id', 'name', 'mobile', 'resident_id', 'created_at'],
      this.persons.map((p) => [p.id, p.name, p.mobile, p.residentId, iso(p.createdAt)]),
      { casts: { id: U, created_at: T } },
    );
    await insertRows(
      sql,
      'wage_case',
      [
        'id',
        'number',
        'channel',
        'channel_ref',
        'received_at',
        'status',
        'sector',
        'region_code',
        'owning_agency_id',
        'primary_complainant_id',
        'workers_affected',
        'amount_claimed_fen',
        'amount_recovered_fen',
        'employer_id',
        'employer_name_given',
        'project_id',
        'description',
        'lead_inspector_id',
        'same_day_contact_due',
        'first_contact_at',
        'acceptance_due',
        'accepted_at',
        'resolution_due',
        'resolved_at',
        'closed_at',
        'outcome_note',
        'transferred_to',
        'version',
        'created_at',
        'updated_at',
      ],
      this.cases.map(({ draft: c }) => [
        c.id,
        c.number,
        c.channel,
        c.channelRef ?? null,
        iso(c.receivedAt),
        c.status,
        c.sector,
        c.region,
        c.owningAgency,
        c.primaryComplainant,
        c.workersAffected ?? null,
        c.amountClaimedFen ?? null,
        c.amountRecoveredFen,
        c.employer ?? null,
        c.employerNameGiven ?? null,
        c.project ?? null,
        c.description,
        c.leadInspector ?? null,
        iso(c.sameDayContactDue),
        iso(c.firstContactAt),
        iso(c.acceptanceDue),
        iso(c.acceptedAt),
        iso(c.resolutionDue),
        iso(c.resolvedAt),
        iso(c.closedAt),
        c.outcomeNote ?? null,
        c.transferredTo ?? null,
        c.version,
        iso(c.receivedAt),
        iso(c.updatedAt),
      ]),
      {
        batch: 200,
        casts: {
          id: U,
          received_at: T,
          owning_agency_id: U,
          primary_complainant_id: U,
          employer_id: U,
          project_id: U,
          lead_inspector_id: U,
          same_day_contact_due: T,
          first_contact_at: T,
          acceptance_due: T,
          accepted_at: T,
          resolution_due: T,
          resolved_at: T,
          closed_at: T,
          created_at: T,
          updated_at: T,
        },
      },
    );
    const all = <R>(f: (c: CaseRows) => R[]) => this.cases.flatMap(f);
    await insertRows(
      sql,
      'case_complainant',
      ['case_id', 'person_id', 'channel', 'channel_ref', 'joined_at'],
      all((c) => c.complainants).map((r) => [r.caseId, r.personId, r.channel, r.channelRef ?? null, iso(r.joinedAt)]),
      { casts: { case_id: U, person_id: U, joined_at: T } },
    );
    // Each demo complaint stated who its complainant is: the identity the demo gave the person.
    await sql(
      `update case_complainant cc set stated_name = p.name, stated_resident_id = p.resident_id from person p where p.id = cc.person_id`,
    );
    await insertRows(
      sql,
      'case_event',
      ['case_id', 'seq', 'type', 'actor_user_id', 'actor_agency_id', 'at', 'payload', 'before', 'after'],
      all((c) => c.events).map((e) => [
        e.caseId,
        e.seq,
        e.type,
        e.actorUserId ?? null,
        e.actorAgencyId ?? null,
        iso(e.at),
        json(e.payload),
        json(e.before),
        json(e.after),
      ]),
      { casts: { case_id: U, actor_user_id: U, actor_agency_id: U, at: T, payload: 'jsonb', before: 'jsonb', after: 'jsonb' } },
    );
    await insertRows(
      sql,
      'contact',
      ['id', 'case_id', 'person_id', 'kind', 'outcome', 'notes', 'at', 'recorded_by'],
      all((c) => c.contacts).map((r) => [r.id, r.caseId, r.personId, r.kind, r.outcome, r.notes ?? null, iso(r.at), r.recordedBy ?? null]),
      { casts: { id: U, case_id: U, person_id: U, at: T, recorded_by: U } },
    );
    await insertRows(
      sql,
      'payment',
      ['id', 'case_id', 'amount_fen', 'workers_paid', 'paid_on', 'payer', 'source', 'recorded_by', 'recorded_at'],
      all((c) => c.payments).map((p) => [
        p.id,
        p.caseId,
        p.amountFen,
        p.workersPaid,
        p.paidOn,
        p.payer,
        p.source,
        p.recordedBy ?? null,
        iso(p.recordedAt),
      ]),
      { casts: { id: U, paid_on: 'date', recorded_by: U, recorded_at: T } },
    );
    // The counters continue from the numbers used here, so the next intake in a district takes the next number.
    await insertRows(
      sql,
      'case_number_counter',
      ['district_code', 'year', 'last'],
      this.counters.map((c) => [c.district, c.year, c.last]),
      { suffix: 'on conflict (district_code, year) do update set last = greatest(case_number_counter.last, excluded.last)' },
    );
  }
}
