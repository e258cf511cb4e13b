// The workflow bundle's entry point: every workflow type the worker runs is exported here.
export * from './police-decision-deadline';
export * from './case-lifecycle';
