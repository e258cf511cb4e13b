// The benches' free port is the application's (src/infra/free-port.ts: below the ephemeral range, and why).
export { freePort } from '../../src/infra/free-port';
