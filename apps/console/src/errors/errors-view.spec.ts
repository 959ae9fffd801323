import type { ConsoleSession } from '../session/console-session';
import type { IssueDetail } from './errors-api';
import { issueBody, issuesBody } from './errors-view';

const session: ConsoleSession = {
  idHash: 'ab',
  principal: 'lead',
  kind: 'api-key',
  credential: 'k',
  access: { errors: ['errors:read', 'errors:write'] },
  csrfToken: 'csrf-token-1',
  expiresAt: new Date('2026-12-08T10:00:00Z'),
};

const XSS = `<script>alert("x")</script>`;

function issue(overrides: Partial<IssueDetail> = {}): IssueDetail {
  return {
    id: '42',
    project: { id: '11', slug: 'django-shop' },
    title: `ValueError: ${XSS}`,
    culprit: `shop.views in <img src=x onerror=alert(1)>`,
    level: 'error',
    status: 'unresolved',
    substatus: 'new',
    first_seen: '2026-12-07T10:00:00.000Z',
    last_seen: '2026-12-08T01:00:00.000Z',
    count: 7,
    users: 3,
    releases: { [`1.0${XSS}`]: 7 },
    environments: { production: 7 },
    resolved_in_next_release: false,
    ignore_until: null,
    ignore_count_remaining: null,
    regressed_at: null,
    scrub_rules: { email: 2 },
    latest_events: [
      {
        event_id: 'e'.repeat(32),
        received_at: '2026-12-08T01:00:00.000Z',
        level: 'error',
        release: '1.0',
        environment: 'production',
        scrub_rules: { email: 1 },
        event: {
          exception: {
            values: [
              {
                type: 'ValueError',
                value: XSS,
                stacktrace: {
                  frames: [
                    { module: 'shop.views', function: 'pay', filename: 'views.py', lineno: 9, in_app: true },
                  ],
                },
              },
            ],
          },
          tags: { [XSS]: `"><svg onload=alert(2)>`, browser: 'Firefox' },
          user: { id: '[HASH:user_id:abc]' },
        },
      },
    ],
    activity: [{ kind: 'status_changed', at: '2026-12-08T01:05:00.000Z', actor: XSS, details: { to: XSS } }],
    ...overrides,
  };
}

describe('error pages', () => {
  it('escapes error messages, culprits, tags, releases and activity: no markup of an event reaches the page', () => {
    const out = issueBody(issue(), session, true).value;
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<svg');
    expect(out).toContain('ValueError: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code> = &quot;&gt;&lt;svg onload=alert(2)&gt;',
    );
    expect(out).toContain('shop.views in pay (views.py:9)');
    expect(out).toContain('[HASH:user_id:abc]');
  });

  it('shows resolve and ignore forms with the CSRF token to a key with errors:write, none without it', () => {
    const writable = issueBody(issue(), session, true).value;
    expect(writable).toContain('action="/errors/42/status"');
    expect(writable).toContain('name="_csrf" value="csrf-token-1"');
    expect(writable).toContain('>Resolve</button>');
    expect(writable).toContain('>Ignore</button>');
    expect(writable).not.toContain('>Reopen</button>');
    expect(issueBody(issue({ status: 'resolved', substatus: null }), session, true).value).toContain(
      '>Reopen</button>',
    );
    const readOnly = issueBody(issue(), session, false).value;
    expect(readOnly).not.toContain('/status"');
    expect(readOnly).not.toContain('<button');
  });

  it('lists issues with escaped titles, keeps the filters in the form and in the next-page link', () => {
    const out = issuesBody(
      { issues: [issue()], count: 1, next_cursor: 'abc=' },
      { status: 'unresolved', q: `"><script>` },
    ).value;
    expect(out).not.toContain('<script');
    expect(out).toContain('<a href="/errors/42">ValueError: &lt;script&gt;');
    expect(out).toContain('<option value="unresolved" selected>');
    expect(out).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(out).toContain('href="/errors?status=unresolved&amp;q=%22%3E%3Cscript%3E&amp;cursor=abc%3D"');
  });
});
