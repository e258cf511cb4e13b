import type { ProcessModule } from '../process-module';
import { callbackProcess } from './callback.definition';
import { CallbackResolver } from './callback.resolver';
import { CallbackService } from './callback.service';

export const callbackModule: ProcessModule<CallbackService> = {
  definition: callbackProcess,
  createService: (processes) => new CallbackService(processes),
  resolvers: [CallbackResolver],
};
