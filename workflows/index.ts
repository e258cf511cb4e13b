// The workflows every worker runs besides the registered processes' own (src/processes/registry.ts), whose
// modules the worker adds to the bundle from their definitions (src/worker/worker.ts bundleWorkflows).
export * from './case-lifecycle';
export { deadlineGroup } from './deadline-group';
export type { DeadlineGroupInput } from './deadline-group';
export { caseEndedSignal } from './process-kit';
export type { StepActor } from './process-kit';
export * from './webhook-delivery';
export * from './daily-report';
