import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type express from 'express';
import type { Logger } from '../logger';

const TRACER = 'anxin';

/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`): spans of the
 * GraphQL operations, the outbox relay's deliveries and, through Temporal's OpenTelemetry interceptors, the
 * workflow starts and signals, the workflows and their activities, in one trace from the request that wrote the
 * outbox row. Off, nothing here is installed: the Temporal client and worker get no interceptors and the workflow
 * bundle no interceptor module, and the API's spans are the OpenTelemetry API's no-op ones.
 */
export interface Tracing {
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Exports what is buffered (tests; the stop). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The workflow interceptor module bundled into the workflow code when tracing is on. */
export const WORKFLOW_TRACING_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** Starts tracing for the process when an endpoint is given (OTLP over HTTP, JSON), and registers it globally. */
export function startTracing(opts: { endpoint?: string; serviceName: string; log: Logger }): Tracing | undefined {
  if (!opts.endpoint) return undefined;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: opts.serviceName });
  // The standard variable names the collector's base address: traces go to its /v1/traces (OTLP/HTTP).
  const exporter = new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const spanProcessor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // The async-hooks context manager and W3C trace-context propagation: a span started in a request is the parent
  // of what the request's promises start (the relay pass it nudges, the workflow start that pass makes).
  provider.register();
  opts.log.info({ endpoint: opts.endpoint, service: opts.serviceName }, 'OpenTelemetry tracing on');
  return {
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The Temporal client's interceptors: each start and signal a span whose context travels in the workflow's headers. */
export function tracingClientInterceptors(tracing: Tracing | undefined): { workflow: WorkflowClientInterceptor[] } | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * The worker's side: activity interceptors and the sink that exports the workflows' spans from outside the
 * sandbox, where the workflow code cannot do I/O.
 */
export function tracingWorkerOptions(tracing: Tracing | undefined): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!tracing) return {};
  return {
    // The workflow interceptor module is not named here: with a prebuilt bundle the worker ignores it, and it is in
    // the bundle already (bundleFor with tracing).
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}

/**
 * Express middleware: a server span per GraphQL HTTP request, continuing the caller's W3C `traceparent` if it sent
 * one, active while Apollo runs the request (the plugin below names it after the operation).
 */
export function graphqlSpanMiddleware(): express.RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = trace
      .getTracer(TRACER)
      .startSpan('graphql', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Names the request's span `<type> <operation>` and marks it failed when the answer carries errors. */
export function graphqlTracingPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const span: Span | undefined = trace.getSpan(context.active());
      if (!span) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const name = operation.name?.value ?? operationName ?? undefined;
          span.updateName(`${operation.operation}${name ? ` ${name}` : ''}`);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (name) span.setAttribute('graphql.operation.name', name);
        },
        async didEncounterErrors({ errors }) {
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          span.setAttribute('graphql.error.codes', codes);
          if (codes.includes('INTERNAL_SERVER_ERROR')) span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };
}

/** Runs `fn` in a span of its own, a child of whatever span is active; a failure marks the span failed. */
function inSpan<T>(name: string, fn: () => Promise<T>, attributes: Record<string, string>): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` in a span that continues the trace a W3C `traceparent` names (one stored with an outbox row): the span
 * is that trace's child wherever and whenever it runs. Without a traceparent, `fn` runs as it is.
 */
export function inSpanContinuing<T>(
  traceparent: string | null | undefined,
  name: string,
  fn: () => Promise<T>,
  attributes: Record<string, string> = {},
): Promise<T> {
  if (!traceparent) return fn();
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  return context.with(parent, () => inSpan(name, fn, attributes));
}
