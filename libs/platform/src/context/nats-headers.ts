import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

import { HEADER_REQUEST_ID, HEADER_TRACEPARENT } from '@vigil/contracts';

import { contextFrom, currentContext, type RequestContext } from './request-context';

/** Headers carrying the current correlation ids to the next hop (a new context if there is none). */
export function correlationHeaders(extra: Record<string, string> = {}): MsgHdrs {
  const context = currentContext() ?? contextFrom({});
  const h = natsHeaders();
  h.set(HEADER_REQUEST_ID, context.requestId);
  h.set(HEADER_TRACEPARENT, context.traceparent);
  for (const [key, value] of Object.entries(extra)) h.set(key, value);
  return h;
}

/** The consuming side: restores the publisher's ids, or starts new ones. */
export function contextFromNatsHeaders(h: MsgHdrs | undefined): RequestContext {
  return contextFrom({ requestId: h?.get(HEADER_REQUEST_ID), traceparent: h?.get(HEADER_TRACEPARENT) });
}
