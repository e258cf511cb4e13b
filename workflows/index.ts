// The workflow bundle's entry point: every workflow type the worker runs is exported here.
export * from './case-lifecycle';
export * from './three-way-dispatch';
export * from './police-referral';
export * from './joint-mediation';
export { caseEndedSignal } from './process-kit';
export type { StepActor } from './process-kit';
export * from './webhook-delivery';
