import { html, type SafeHtml } from '../render/html';

/** A time as UTC ISO in a `<time>` element. */
export function when(iso: string | null | undefined): SafeHtml {
  if (iso === null || iso === undefined || iso === '') return html`<span class="hint">none</span>`;
  return html`<time datetime="${iso}">${iso}</time>`;
}

/** A JSON value pretty-printed as text (the `html` template escapes it: `<script>` stays text). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}

/** An event's page. */
export const eventHref = (id: string) => `/audit/events/${encodeURIComponent(id)}`;

/** The audit section's sub-navigation. */
export function auditTabs(current?: 'search' | 'verify' | 'detections'): SafeHtml {
  const tabs = [
    { id: 'search', href: '/audit', label: 'Search' },
    { id: 'verify', href: '/audit/verify', label: 'Verify the chains' },
    { id: 'detections', href: '/audit/detections', label: 'Detections and privacy report' },
  ] as const;
  return html`<nav aria-label="Audit" class="audit-tabs">
    <ul>
      ${tabs.map(
        (tab) =>
          html`<li>
            <a href="${tab.href}" ${tab.id === current ? html`aria-current="page"` : null}>${tab.label}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}
