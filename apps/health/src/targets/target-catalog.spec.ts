import type { TargetDefinition } from './target-definition';
import { defaultAlertRules } from './common-fields';
import { TargetCatalog, type CatalogChange } from './target-catalog';

const tcp = (name: string, port = 5432): TargetDefinition => ({
  kind: 'tcp',
  name,
  url: `tcp://db:${port}`,
  host: 'db',
  port,
  intervalMs: 30_000,
  timeoutMs: 5000,
  ...defaultAlertRules(2),
  recoveryThreshold: 1,
});

describe('TargetCatalog', () => {
  it('lists file targets in file order, then run-time targets in the order added', () => {
    const catalog = new TargetCatalog([tcp('b'), tcp('a')]);
    catalog.put(tcp('c'));
    expect(catalog.names()).toEqual(['b', 'a', 'c']);
    expect(catalog.get('a')?.name).toBe('a');
    expect(catalog.get('missing')).toBeUndefined();
  });

  it('replaces a target of the same name in place and tells every listener', () => {
    const catalog = new TargetCatalog([tcp('a'), tcp('b')]);
    const seen: CatalogChange[] = [];
    const stop = catalog.onChange((change) => seen.push(change));
    catalog.put(tcp('a', 6432));
    expect(catalog.names()).toEqual(['a', 'b']);
    expect(catalog.get('a')).toMatchObject({ port: 6432 });
    expect(catalog.remove('b')).toBe(true);
    expect(catalog.remove('b')).toBe(false);
    stop();
    catalog.put(tcp('c'));
    expect(seen.map((c) => (c.kind === 'put' ? `put ${c.target.name}` : `removed ${c.name}`))).toEqual([
      'put a',
      'removed b',
    ]);
  });
});
