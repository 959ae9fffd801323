import fs from 'node:fs';
import path from 'node:path';

import { KEY_KINDS, STRATEGIES, VALUE_KINDS } from './entities';
import { CORE_ENTITY_DOCS, entityCatalog, renderEntityTable, withEntityTable } from './entity-catalog';
import type { EntityDoc } from './entity-docs';

const ANCHORS = ['presidio', 'gitleaks', 'detect-secrets', 'relay', 'vigil'];
const README = path.join(__dirname, '..', 'README.md');

describe('the entity catalog', () => {
  const catalog = entityCatalog();

  it('has an entry for every kind in VALUE_KINDS and KEY_KINDS', () => {
    const documented = new Set(catalog.map((entry) => entry.kind));
    const missing = [...VALUE_KINDS, ...KEY_KINDS].filter((kind) => !documented.has(kind));
    expect(missing).toEqual([]);
  });

  it('documents only kinds the redactor reports, each once per list', () => {
    const known = new Set<string>([...VALUE_KINDS, ...KEY_KINDS]);
    expect(catalog.filter((entry) => !known.has(entry.kind)).map((entry) => entry.kind)).toEqual([]);
    const kinds = CORE_ENTITY_DOCS.map((doc) => doc.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it.each(entityCatalog().map((entry) => [entry.kind, entry] as const))(
    '%s: every field is filled in, on one line, with a known strategy and anchors',
    (_kind, entry) => {
      for (const text of [entry.name, entry.detection, entry.guard]) expect(text).toMatch(/^[^\n]+$/);
      expect(STRATEGIES).toContain(entry.strategy);
      expect(entry.anchors.length).toBeGreaterThan(0);
      for (const anchor of entry.anchors) expect(ANCHORS).toContain(anchor);
      expect(entry.surfaces.length).toBeGreaterThan(0);
    },
  );

  it('gives the surfaces each kind is found on: keys, text or both', () => {
    const surfaces = Object.fromEntries(catalog.map((entry) => [entry.kind, entry.surfaces]));
    expect(surfaces).toMatchObject({ secret: ['keys'], email: ['keys', 'text'], jwt: ['text'] });
  });

  it("lets a detector family's list replace an earlier entry of the same kind", () => {
    const moved: EntityDoc = { ...CORE_ENTITY_DOCS[0], detection: 'detected elsewhere now' };
    const merged = entityCatalog([CORE_ENTITY_DOCS, [moved]]);
    expect(merged).toHaveLength(CORE_ENTITY_DOCS.length);
    expect(merged.find((entry) => entry.kind === moved.kind)?.detection).toBe('detected elsewhere now');
  });

  it('escapes pipes so a cell cannot split the table', () => {
    const table = renderEntityTable([{ ...entityCatalog()[0], detection: 'a | b' }]);
    expect(table.split('\n')[2]).toContain('a \\| b');
  });
});

describe('README.md', () => {
  it('holds the table generated from the catalog (node tools/redaction/entity-table.mjs --write)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(withEntityTable(readme)).toBe(readme);
  });

  it('refuses a README without the markers rather than write the table nowhere', () => {
    expect(() => withEntityTable('# no table here\n')).toThrow('README.md has no entity-table markers');
  });
});
