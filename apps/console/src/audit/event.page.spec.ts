import type { EventDetail } from './audit-api';
import { eventPageBody } from './event.page';
import { csvLineOf } from './audit-export';

const detail: EventDetail = {
  event: {
    id: '00000000-0000-4000-8000-000000000001',
    occurred_at: '2026-12-08T00:00:00.000Z',
    source: 'shop<img src=x onerror=alert(1)>',
    actor: { type: 'admin', id: '"><script>alert("actor")</script>' },
    action: 'wallet.settings.viewed',
    resource: { type: 'wallet', id: 'w-1' },
    outcome: 'success',
    changes: { limit: { before: '<b>10</b>', after: 20 } },
    metadata: { note: '</pre><script>alert(1)</script>', nested: { a: "it's" } },
  },
  received_at: '2026-12-08T00:00:01.000Z',
  category: 'routine',
  seq: 7,
  prev_hash: 'aa',
  hash: 'bb',
};

describe('event page rendering', () => {
  const page = eventPageBody(detail, { kind: 'pending', message: 'soon' }).value;

  it('shows metadata as escaped, pretty JSON inside <pre>', () => {
    expect(page).toContain('<pre class="metadata">');
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;nested&quot;: {');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
  });

  it('shows changes as a before/after table, escaped', () => {
    expect(page).toContain('<th scope="row">limit</th>');
    expect(page).toContain('&quot;&lt;b&gt;10&lt;/b&gt;&quot;');
    expect(page).toContain('<code>20</code>');
  });

  it('writes the event as one CSV line with its JSON columns quoted', () => {
    const line = csvLineOf(detail);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain('"{""limit"":{""before"":""<b>10</b>"",""after"":20}}"');
    expect(line).toContain(',routine,7\r\n');
  });
});
