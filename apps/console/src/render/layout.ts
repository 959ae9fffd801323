import { mayUse, type ConsoleSession } from '../session/console-session';
import { html, type SafeHtml } from './html';

/** The console's navigation: a section shows only when the person's key reaches its service. */
export type NavSection = 'alerts' | 'silences' | 'targets' | 'errors' | 'audit' | 'reports';

const NAV: readonly {
  section: NavSection;
  label: string;
  href: string;
  allowed: (s: ConsoleSession) => boolean;
}[] = [
  { section: 'alerts', label: 'Alerts', href: '/alerts', allowed: (s) => mayUse(s, 'alerting') },
  { section: 'silences', label: 'Silences', href: '/silences', allowed: (s) => mayUse(s, 'alerting') },
  { section: 'targets', label: 'Targets', href: '/targets', allowed: (s) => mayUse(s, 'health') },
  { section: 'errors', label: 'Errors', href: '/errors', allowed: (s) => mayUse(s, 'errors', 'errors:read') },
  { section: 'audit', label: 'Audit', href: '/audit', allowed: (s) => mayUse(s, 'audit', 'audit:read') },
  { section: 'reports', label: 'Reports', href: '/reports', allowed: (s) => mayUse(s, 'reporting') },
];

/** The first section the person may open (where `/` and login send them). */
export function homeOf(session: ConsoleSession): string {
  return NAV.find((entry) => entry.allowed(session))?.href ?? '/account';
}

export interface PageInput {
  title: string;
  /** Null on pages shown before sign-in. */
  session: ConsoleSession | null;
  active?: NavSection;
  body: SafeHtml;
  /** A one-line result of the last action ("Alert acknowledged"), shown in a live region. */
  notice?: string;
  /** An error the page could not avoid (a service down): shown above the body, announced to screen readers. */
  error?: string;
  /** Extra scripts of this page, each a file under apps/console/assets (CSP: 'self' only). */
  scripts?: readonly string[];
}

/**
 * The page shell. No inline script or style (the CSP forbids both): /assets/console.css and the deferred
 * /assets/console.js. Keyboard first: a skip link, one <main>, headings in order, visible focus (CSS).
 */
export function layout(page: PageInput): SafeHtml {
  const session = page.session;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${session === null ? null : html`<meta name="csrf-token" content="${session.csrfToken}" />`}
        <title>${page.title} · Vigil</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
        ${(page.scripts ?? []).map((name) => html`<script src="/assets/${name}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">Vigil</a>
          ${session === null ? null : navigation(session, page.active)}
        </header>
        <main id="main" tabindex="-1">
          <div role="status" aria-live="polite" class="notice" id="notice">${page.notice ?? ''}</div>
          ${page.error === undefined ? null : html`<div role="alert" class="error-box">${page.error}</div>`}
          ${page.body}
        </main>
      </body>
    </html>`;
}

function navigation(session: ConsoleSession, active: NavSection | undefined): SafeHtml {
  const links = NAV.filter((entry) => entry.allowed(session)).map(
    (entry) =>
      html`<li>
        <a href="${entry.href}" ${entry.section === active ? html` aria-current="page"` : null}
          >${entry.label}</a
        >
      </li>`,
  );
  return html`<nav aria-label="Main">
      <ul>
        ${links}
      </ul>
    </nav>
    <form method="post" action="/logout" class="logout">
      <input type="hidden" name="_csrf" value="${session.csrfToken}" />
      <span class="who">${session.principal}</span>
      <button type="submit">Sign out</button>
    </form>`;
}

/** A hidden CSRF field for a write form. */
export function csrfField(session: ConsoleSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;
}
