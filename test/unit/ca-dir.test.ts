/**
 * Issue #15, item 7: one CA per user, as mkcert keeps one CAROOT: `--ca-dir`, else $MIRRA_CA_DIR,
 * else a CA a data dir already holds (`<data-dir>/ca`, made by an older mirra), else
 * `$XDG_DATA_HOME/mirra/ca` or `~/.local/share/mirra/ca` — the same for every data dir.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveCaDir, userCaDir } from '../../src/config';

describe('resolveCaDir', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'mirra-ca-dir-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is the same per-user directory for every data dir', () => {
    const env = { HOME: join(tmp, 'home') };
    const a = resolveCaDir({ dataDir: join(tmp, 'a') }, env);
    const b = resolveCaDir({ dataDir: join(tmp, 'b') }, env);
    expect(a).toBe(join(tmp, 'home', '.local', 'share', 'mirra', 'ca'));
    expect(b).toBe(a);
  });

  it('follows $XDG_DATA_HOME when it is an absolute path', () => {
    expect(userCaDir({ HOME: '/home/u', XDG_DATA_HOME: join(tmp, 'xdg') })).toBe(join(tmp, 'xdg', 'mirra', 'ca'));
    // The XDG spec: a relative value is invalid and ignored.
    expect(userCaDir({ HOME: '/home/u', XDG_DATA_HOME: 'relative/xdg' })).toBe('/home/u/.local/share/mirra/ca');
  });

  it('takes --ca-dir, then $MIRRA_CA_DIR, before anything else', () => {
    const env = { HOME: join(tmp, 'home'), MIRRA_CA_DIR: join(tmp, 'from-env') };
    expect(resolveCaDir({ dataDir: join(tmp, 'a'), caDir: 'flag-dir' }, env)).toBe(resolve('flag-dir'));
    expect(resolveCaDir({ dataDir: join(tmp, 'a') }, env)).toBe(join(tmp, 'from-env'));
  });

  it('keeps loading a CA that a data dir already holds', () => {
    const old = join(tmp, 'old-data');
    mkdirSync(join(old, 'ca'), { recursive: true });
    writeFileSync(join(old, 'ca', 'mirra-ca.pem'), 'a CA made by an older mirra');
    expect(resolveCaDir({ dataDir: old }, { HOME: join(tmp, 'home') })).toBe(join(old, 'ca'));
  });
});
