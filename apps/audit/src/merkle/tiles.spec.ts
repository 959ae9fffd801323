import { parseTilePath, tileAvailable, tileIndexPath, tilePath } from './tiles';

describe('C2SP tlog-tiles paths', () => {
  it('encodes indexes as 3-digit elements, all but the last prefixed with x', () => {
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(tileIndexPath(0)).toBe('000');
    expect(tilePath({ level: 1, index: 1000, width: 17 })).toBe('tile/1/x001/000.p/17');
    expect(tilePath({ level: null, index: 5, width: null })).toBe('tile/entries/005');
  });

  it('parses canonical paths back and names what is wrong with the others', () => {
    expect(parseTilePath('0/x001/x234/067')).toEqual({ level: 0, index: 1234067, width: null });
    expect(parseTilePath('2/000.p/1')).toEqual({ level: 2, index: 0, width: 1 });
    expect(parseTilePath('entries/x001/000.p/255')).toEqual({ level: null, index: 1000, width: 255 });
    expect(parseTilePath('01/000')).toMatch(/leading zeros/);
    expect(parseTilePath('0/1')).toMatch(/3-digit/);
    expect(parseTilePath('0/x000/001')).toMatch(/3-digit/);
    expect(parseTilePath('0/000.p/256')).toMatch(/1\.\.255/);
    expect(parseTilePath('0/000.p/0')).toMatch(/1\.\.255/);
  });

  it('serves exactly the tiles a tree holds: 70,000 leaves make 273 full level-0 tiles and the spec partials', () => {
    const size = 70_000;
    expect(tileAvailable({ level: 0, index: 272, width: null }, size)).toBe(true);
    expect(tileAvailable({ level: 0, index: 273, width: null }, size)).toBe(false);
    expect(tileAvailable({ level: 0, index: 273, width: 112 }, size)).toBe(true);
    expect(tileAvailable({ level: 0, index: 273, width: 113 }, size)).toBe(false);
    expect(tileAvailable({ level: 1, index: 0, width: null }, size)).toBe(true);
    expect(tileAvailable({ level: 1, index: 1, width: 17 }, size)).toBe(true);
    expect(tileAvailable({ level: 2, index: 0, width: 1 }, size)).toBe(true);
    expect(tileAvailable({ level: 2, index: 0, width: 2 }, size)).toBe(false);
  });
});
