import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { JANITOR_SCRIPT } from './janitor';
import { waitForExit } from './process-utils';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('janitor', () => {
  it('stops registered processes and removes registered dirs when its owner goes away', async () => {
    const janitor = spawn(process.execPath, ['-e', JANITOR_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
    const kept = spawn('sleep', ['60']);
    const killed = spawn('sleep', ['60']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-janitor-'));
    const keptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-janitor-kept-'));
    fs.writeFileSync(path.join(dir, 'data'), 'x');
    try {
      janitor.stdin.write(`pid ${killed.pid}\npid ${kept.pid}\nforget ${kept.pid}\n`);
      janitor.stdin.write(`rm ${dir}\nrm ${keptDir}\nkeep ${keptDir}\n`);
      // The owner going away closes the janitor's stdin (here: closed by hand).
      janitor.stdin.end();
      await expect(waitForExit(janitor, 15_000)).resolves.toEqual({ code: 0, signal: null });
      await expect(waitForExit(killed, 1_000)).resolves.toEqual({ code: null, signal: 'SIGTERM' });
      expect(fs.existsSync(dir)).toBe(false);
      expect(alive(kept.pid!)).toBe(true);
      expect(fs.existsSync(keptDir)).toBe(true);
    } finally {
      kept.kill('SIGKILL');
      fs.rmSync(keptDir, { recursive: true, force: true });
    }
  });
});
