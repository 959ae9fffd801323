import { ERRORS_SUMMARY_SUBJECT, errorsSummaryReplyV1Schema } from './errors-summary.v1';

const issue = {
  issue_id: '7',
  title: 'DoesNotExist: PrivacySettings matching query does not exist.',
  culprit: 'profile.views in privacy',
  level: 'error',
  project: 'django-profile',
  count: 12,
  users: 3,
  status: 'unresolved',
  new: true,
  regressed: false,
  resolved: false,
};

describe('errorsSummaryReplyV1Schema', () => {
  const reply = {
    from: '2026-01-05T00:00:00Z',
    to: '2026-01-12T00:00:00Z',
    total_events: 12,
    new_issues: 1,
    regressions: 0,
    top_issues: [issue],
  };

  it('parses a reply on errors.v1.summary', () => {
    expect(ERRORS_SUMMARY_SUBJECT).toBe('errors.v1.summary');
    expect(errorsSummaryReplyV1Schema.parse(reply)).toEqual(reply);
  });

  it('refuses an unknown status and more than ten top issues', () => {
    const badStatus = { ...reply, top_issues: [{ ...issue, status: 'merged' }] };
    expect(errorsSummaryReplyV1Schema.safeParse(badStatus).success).toBe(false);
    const eleven = { ...reply, top_issues: Array.from({ length: 11 }, () => issue) };
    expect(errorsSummaryReplyV1Schema.safeParse(eleven).success).toBe(false);
  });
});
