import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

import { html } from '../render/html';
import { csrfField, homeOf, layout } from '../render/layout';
import { sendPage } from '../render/page-response';
import type { ConsoleSession } from '../session/console-session';
import { ConsoleRoute, CurrentSession } from '../access/console-route';

@Controller()
export class HomeController {
  @Get()
  @ConsoleRoute()
  home(@CurrentSession() session: ConsoleSession, @Res() response: Response): void {
    response.redirect(303, homeOf(session));
  }

  /** Who the console takes you for and what each service lets you do. */
  @Get('account')
  @ConsoleRoute()
  account(@CurrentSession() session: ConsoleSession, @Res() response: Response): void {
    const rows = Object.entries(session.access).map(
      ([service, scopes]) =>
        html`<tr>
          <th scope="row">${service}</th>
          <td>
            ${scopes === null || scopes === undefined ? 'no access' : scopes.length === 0 ? 'read' : scopes.join(', ')}
          </td>
        </tr>`,
    );
    const body = html`<h1>Your access</h1>
      <p>Signed in as <strong>${session.principal}</strong> until ${session.expiresAt.toISOString()}.</p>
      <table>
        <caption>
          What each service allows your key
        </caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Scopes</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      <form method="post" action="/logout/everywhere" class="actions">
        ${csrfField(session)}
        <button type="submit">Sign out everywhere</button>
        <span class="hint">ends every session of ${session.principal}, on every device</span>
      </form>`;
    sendPage(response, layout({ title: 'Your access', session, body }));
  }
}
