import type { Agency, User } from '../../src/agencies/agency.entity';
import type { loadTestCity } from './fixtures';

/** Every signed-in role of every agency kind in the test city, by the names the access tests use. */
export function signedInPersonas(city: Awaited<ReturnType<typeof loadTestCity>>) {
  return {
    xcClerk: [city.clerk, city.xichengHrss],
    xcInspector: [city.inspector, city.xichengHrss],
    xcSupervisor: [city.supervisor, city.xichengHrss],
    xcDirector: [city.director, city.xichengHrss],
    cityDirector: [city.cityDirector, city.cityHrss],
    cyInspector: [city.chaoyangInspector, city.chaoyangHrss],
    districtOfficer: [city.districtOfficer, city.xichengGov],
    gridWorker: [city.gridWorker, city.xinjiekou],
    housing: [city.regulatorOfficer, city.housing],
    transport: [city.transportSupervisor, city.transport],
    hqLiaison: [city.contractorLiaison, city.contractorHq],
    police: [city.policeOfficer, city.police],
    prosecutor: [city.prosecutor, city.procuratorate],
    unionMediator: [city.unionMediator, city.union],
    petitionOfficer: [city.petitionOfficer, city.petition],
    justiceMediator: [city.justiceMediator, city.justice],
    courtOfficer: [city.courtOfficer, city.court],
    arbitrator: [city.arbitrator, city.arbitration],
    workInjuryOfficer: [city.workInjuryOfficer, city.workInjury],
    integrator: [city.hotline, city.integrator],
  } satisfies Record<string, [User, Agency]>;
}
