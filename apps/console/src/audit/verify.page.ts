import { html, type SafeHtml } from '../render/html';
import { AUDIT_LOGS, type VerifyReport } from './audit-api';
import { auditTabs, eventHref, when } from './audit-markup';

export interface VerifyForm {
  category?: string;
  from?: string;
  to?: string;
  /** Merkle growth check: the earlier size and, optionally, the root the person holds for it. */
  first?: string;
  first_root?: string;
}

/** The outcome of a Merkle growth check (append-only between an earlier size and the signed checkpoint). */
export type GrowthResult = {
  category: string;
  first: number;
  firstRoot: string;
  /** Whether firstRoot is the person's own (else the service's answer for that size). */
  held: boolean;
  signedAt: string | null;
} & ({ ok: true; second: number; secondRoot: string } | { ok: false; reason: string });

function growthForm(form: VerifyForm): SafeHtml {
  return html`<form method="get" action="/audit/verify" class="card" aria-label="Merkle log growth">
    <h2>Merkle log growth</h2>
    <p class="hint">
      Proves that the log you saw at an earlier size (with the root hash you kept, e.g. from a report) is a
      prefix of the latest signed checkpoint: nothing was rewritten or removed since.
    </p>
    <input type="hidden" name="grow" value="1" />
    <div class="filters">
      <div>
        <label for="g-category">Log</label>
        <select id="g-category" name="category">
          ${AUDIT_LOGS.map(
            (c) => html`<option value="${c}" ${form.category === c ? html`selected` : null}>${c}</option>`,
          )}
        </select>
      </div>
      <div>
        <label for="g-first">Earlier size</label>
        <input type="number" id="g-first" name="first" min="0" value="${form.first ?? ''}" required />
      </div>
      <div>
        <label for="g-root">Its root hash (hex, optional)</label>
        <input type="text" id="g-root" name="first_root" value="${form.first_root ?? ''}" />
      </div>
    </div>
    <div class="actions"><button type="submit">Check growth</button></div>
  </form>`;
}

function growthHtml(result: GrowthResult): SafeHtml {
  return html`<section class="card" aria-labelledby="growth-h">
    <h2 id="growth-h">Growth of the ${result.category} log</h2>
    <p class="growth-verdict ${result.ok ? 'ok' : 'bad'}" role="status">
      ${
        result.ok
          ? html`<strong>Append-only</strong>: the tree of ${result.first} leaves is a prefix of the
              checkpoint of ${result.second}, signed
              ${result.signedAt === null ? html`on request` : html`at ${when(result.signedAt)}`}.`
          : html`<strong>Not proved</strong>: ${result.reason}.`
      }
    </p>
    <p class="hint">
      Root at ${result.first} (${result.held ? 'yours' : 'as the service reports it'}):
      <code>${result.firstRoot}</code>
    </p>
  </section>`;
}

function formHtml(form: VerifyForm): SafeHtml {
  return html`<form method="get" action="/audit/verify" class="card" aria-label="Verification range">
    <input type="hidden" name="run" value="1" />
    <div class="filters">
      <div>
        <label for="v-category">Log</label>
        <select id="v-category" name="category">
          <option value="">every log</option>
          ${AUDIT_LOGS.map(
            (c) => html`<option value="${c}" ${form.category === c ? html`selected` : null}>${c}</option>`,
          )}
        </select>
      </div>
      <div>
        <label for="v-from">From (UTC)</label>
        <input
          type="text"
          id="v-from"
          name="from"
          value="${form.from ?? ''}"
          placeholder="2026-12-01T00:00"
        />
      </div>
      <div>
        <label for="v-to">To (UTC)</label>
        <input type="text" id="v-to" name="to" value="${form.to ?? ''}" placeholder="2026-12-08T00:00" />
      </div>
    </div>
    <p class="hint">
      Every chain is walked from its anchor (genesis, a retention cut or the last checkpoint before “from”):
      links, hashes, Merkle leaves and checkpoint signatures. Empty times walk everything.
    </p>
    <div class="actions"><button type="submit">Verify</button></div>
  </form>`;
}

function resultHtml(report: VerifyReport, category: string | undefined): SafeHtml {
  const chains = report.chains.filter((c) => category === undefined || c.category === category);
  const bad = report.first_bad;
  const shownBad = bad !== null && (category === undefined || bad.category === category) ? bad : null;
  const ok = shownBad === null && (category !== undefined || report.ok);
  return html`<section class="card" aria-labelledby="result-h">
    <h2 id="result-h">Result</h2>
    <p class="verify-verdict ${ok ? 'ok' : 'bad'}" role="status">
      <strong>${ok ? 'Intact' : 'Broken'}</strong>
      ${
        ok
          ? html`: every record checked links and hashes as signed.`
          : shownBad === null
            ? html`: another log is broken.`
            : html`: first bad record is seq ${shownBad.seq} of the ${shownBad.category} log
              (${shownBad.defect}).`
      }
    </p>
    ${
      shownBad === null
        ? null
        : html`<p>
            ${shownBad.detail}
            ${shownBad.id === null ? null : html` <a href="${eventHref(shownBad.id)}">Open that event</a>`}
          </p>`
    }
    <p class="hint">Range: ${when(report.from)} to ${when(report.to)}</p>
    <div class="table-wrap">
      <table>
        <caption>
          Chains walked
        </caption>
        <thead>
          <tr>
            <th scope="col">Log</th>
            <th scope="col">Anchor seq</th>
            <th scope="col">Records checked</th>
            <th scope="col">In range</th>
            <th scope="col">Checkpoints checked</th>
            <th scope="col">Last seq</th>
            <th scope="col">Not yet signed</th>
          </tr>
        </thead>
        <tbody>
          ${chains.map(
            (c) =>
              html`<tr>
                <th scope="row">${c.category}</th>
                <td>${c.anchor_seq}</td>
                <td>${c.records_checked}</td>
                <td>${c.records_in_range}</td>
                <td>${c.checkpoints_checked}</td>
                <td>${c.last_seq}</td>
                <td>${c.unsigned_records}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function verifyPageBody(
  form: VerifyForm,
  report: VerifyReport | null,
  growth: GrowthResult | null = null,
): SafeHtml {
  return html`<h1>Verify the audit chains</h1>
    ${auditTabs('verify')} ${formHtml(form)} ${report === null ? null : resultHtml(report, form.category)}
    ${growthForm(form)} ${growth === null ? null : growthHtml(growth)}`;
}
