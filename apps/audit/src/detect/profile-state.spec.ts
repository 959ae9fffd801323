import { auditEventV1Schema } from '@vigil/contracts';

import { auditEvent } from '../../test/audit-factory';
import { fieldMatches, settingWord, stateAfter } from './profile-state';

const save = (overrides: Record<string, unknown>) =>
  auditEventV1Schema.parse(auditEvent({ action: 'admin.privacysettings.changed', ...overrides }));

describe('stateAfter', () => {
  it('overlays changes[f].after on metadata.state', () => {
    const event = save({
      changes: { show_social_links: { before: false, after: true } },
      metadata: { state: { profile_visibility: 'PRIVATE', show_social_links: false, theme: 'dark' } },
    });
    expect(stateAfter(event)).toEqual({
      profile_visibility: 'PRIVATE',
      show_social_links: true,
      theme: 'dark',
    });
  });

  it('reads changes alone, and ignores a metadata.state that is not an object', () => {
    const changes = { profile_visibility: { before: 'PUBLIC', after: 'PRIVATE' } };
    expect(stateAfter(save({ changes, metadata: { state: ['x'] } }))).toEqual({
      profile_visibility: 'PRIVATE',
    });
    expect(stateAfter(save({ metadata: { state: 'private' } }))).toEqual({});
  });
});

describe('settingWord', () => {
  it.each([
    ['PRIVATE', 'private'],
    [' private ', 'private'],
    ['True', 'true'],
    [true, 'true'],
    ['1', 'true'],
    [1, 'true'],
    ['yes', 'true'],
    ['False', 'false'],
    [0, 'false'],
    ['public', 'public'],
    [null, undefined],
    [{ a: 1 }, undefined],
  ])('%j is %j', (value, word) => {
    expect(settingWord(value)).toBe(word);
  });
});

describe('fieldMatches', () => {
  it('matches prefix and suffix patterns and exact names only', () => {
    expect(fieldMatches('show_*', 'show_social_links')).toBe(true);
    expect(fieldMatches('*_visibility', 'photos_visibility')).toBe(true);
    expect(fieldMatches('*_visibility', 'visibility_note')).toBe(false);
    expect(fieldMatches('show_social_links', 'show_social_links_x')).toBe(false);
  });
});
