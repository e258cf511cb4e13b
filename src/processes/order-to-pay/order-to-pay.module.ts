import type { ProcessModule } from '../process-module';
import { orderToPayProcess } from './order-to-pay.definition';
import { OrderToPayResolver } from './order-to-pay.resolver';
import { OrderToPayService } from './order-to-pay.service';

export const orderToPayModule: ProcessModule<OrderToPayService> = {
  definition: orderToPayProcess,
  createService: (processes) => new OrderToPayService(processes),
  resolvers: [OrderToPayResolver],
};
