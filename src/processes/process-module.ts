import type { AnyProcessDefinition } from './process-definition';
import type { ProcessService } from './process.service';

/**
 * A process as the composition root wires it: its definition, its service (built on the shared process machinery)
 * and its GraphQL resolvers (each constructed with that service). One module per folder under `src/processes/`,
 * one line per module in the registry.
 */
export interface ProcessModule<S = unknown> {
  definition: AnyProcessDefinition;
  createService(processes: ProcessService): S;
  resolvers: ReadonlyArray<new (service: S) => object>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of modules holds services of different types
export type AnyProcessModule = ProcessModule<any>;

/** The service a module built, from the services of this process (typed by the module). */
export function processServiceOf<S>(services: { processServices: ReadonlyMap<AnyProcessModule, unknown> }, module: ProcessModule<S>): S {
  const service = services.processServices.get(module);
  if (!service) throw new Error(`process ${module.definition.kind} is not in this registry`);
  return service as S;
}
