import type { EntityDoc } from '../entity-docs';

/** The entities the surface passes add (the README table is generated from these). */
export const SURFACE_ENTITY_DOCS: readonly EntityDoc[] = [
  {
    kind: 'user_path',
    name: 'user name in a home directory path',
    detection:
      'value: the directory after `/home/`, `/Users/`, `C:\\Users\\` (also JSON-escaped `C:\\\\Users\\\\`), as in stack traces and file paths',
    guard:
      'shared folders (`Shared`, `Public`, `Default`, `All Users`) are kept; `/homepage/` and `/usr/` do not match',
    strategy: 'remove',
    anchors: ['relay'],
  },
];
