import { html, type SafeHtml } from '../render/html';
import type { EventDetail } from './audit-api';
import { auditTabs, prettyJson, when } from './audit-markup';

/** Where the event stands in its Merkle log, as the console checked it. */
export type ProofState =
  | {
      kind: 'verified';
      category: string;
      leafIndex: number;
      size: number;
      root: string;
      keyName: string;
      /** When the checkpoint was stored, or null when the service signs its head on request. */
      signedAt: string | null;
      checkedAt: string;
      developmentKey: boolean;
    }
  | { kind: 'pending'; message: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'unavailable'; message: string };

function changesTable(changes: EventDetail['event']['changes']): SafeHtml {
  const entries = Object.entries(changes ?? {});
  if (entries.length === 0) return html`<p>No field changes recorded.</p>`;
  return html`<div class="table-wrap">
    <table class="changes">
      <caption>
        Changed fields
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          ([field, change]) =>
            html`<tr>
              <th scope="row">${field}</th>
              <td><code>${prettyJson(change?.before ?? null)}</code></td>
              <td><code>${prettyJson(change?.after ?? null)}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function proofHtml(state: ProofState): SafeHtml {
  switch (state.kind) {
    case 'verified':
      return html`<p class="ok proof-verdict">
          <strong>Verified</strong> up to checkpoint ${state.size} of the ${state.category} log, signed
          ${state.signedAt === null ? html`on request at ${when(state.checkedAt)}` : html`at ${when(state.signedAt)}`}.
        </p>
        <p class="hint">
          The console recomputed this event’s leaf hash (leaf ${state.leafIndex}), folded the inclusion proof
          to root <code>${state.root}</code> and checked that root and size against the checkpoint note’s
          Ed25519 signature by <code>${state.keyName}</code> with the audit service’s public key.
          ${state.developmentKey ? html`<strong class="bad">The service signs with its development key.</strong>` : null}
        </p>`;
    case 'pending':
      return html`<p class="proof-verdict">Stored, not yet in a signed checkpoint: ${state.message}</p>`;
    case 'failed':
      return html`<p class="bad proof-verdict"><strong>Not verified:</strong> ${state.reason}</p>`;
    case 'unavailable':
      return html`<p class="proof-verdict">The proof could not be fetched: ${state.message}</p>`;
  }
}

export function eventPageBody(detail: EventDetail, proof: ProofState): SafeHtml {
  const e = detail.event;
  const facts: [string, SafeHtml | string][] = [
    ['Id', html`<code>${e.id}</code>`],
    ['Occurred', when(e.occurred_at)],
    ['Received', when(detail.received_at)],
    ['Source', e.source],
    ['Tenant', e.tenant_id ?? '—'],
    ['Actor', `${e.actor.type}: ${e.actor.id}${e.actor.ip === undefined ? '' : ` from ${e.actor.ip}`}`],
    ['Action', e.action],
    ['Resource', `${e.resource.type}: ${e.resource.id}`],
    ['Outcome', e.outcome],
    ['Request id', e.request_id ?? '—'],
    ['Trace id', e.trace_id ?? '—'],
  ];
  return html`<h1>Audit event</h1>
    ${auditTabs()}
    <section class="card" aria-labelledby="facts-h">
      <h2 id="facts-h">${e.action}</h2>
      <dl class="facts">
        ${facts.map(
          ([name, value]) =>
            html`<dt>${name}</dt>
              <dd>${value}</dd>`,
        )}
      </dl>
    </section>
    <section class="card" aria-labelledby="changes-h">
      <h2 id="changes-h">Changes</h2>
      ${changesTable(e.changes)}
    </section>
    <section class="card" aria-labelledby="metadata-h">
      <h2 id="metadata-h">Metadata</h2>
      ${e.metadata === undefined ? html`<p>None.</p>` : html`<pre class="metadata">${prettyJson(e.metadata)}</pre>`}
    </section>
    <section class="card" aria-labelledby="proof-h">
      <h2 id="proof-h">Place in the proof</h2>
      ${proofHtml(proof)}
      <dl class="facts">
        <dt>Log</dt>
        <dd>${detail.category}</dd>
        <dt>Sequence</dt>
        <dd>${detail.seq}</dd>
        <dt>Hash</dt>
        <dd><code>${detail.hash}</code></dd>
        <dt>Previous hash</dt>
        <dd><code>${detail.prev_hash}</code></dd>
      </dl>
    </section>`;
}
