// src/node/stale_profiles.ts: which leftover Chromium profile folders a new run removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleProfiles } from '../src/node/stale_profiles.ts';
import { tempDir } from './util/cli.ts';

test('profiles of dead owners go; live owners\' and undecidable ones stay', async () => {
  const dir = tempDir('profiles');
  const dead = spawnSync('/bin/true').pid!;
  const alive = spawn('sleep', ['30']);
  try {
    const make = (name: string, lockTarget?: string) => {
      mkdirSync(join(dir, name));
      if (lockTarget) symlinkSync(lockTarget, join(dir, name, 'SingletonLock'));
    };
    make(`tvae-chromium-${dead}-AAAAAA`);
    make(`tvae-chromium-${alive.pid}-BBBBBB`);
    make('tvae-chromium-oldDead', `host-${dead}`); // the older unnamed form: Chromium's own lock says
    make('tvae-chromium-oldLive', `host-${alive.pid}`);
    make('tvae-chromium-oldNone'); // a browser starting right now, maybe
    make(`other-${dead}`);
    assert.deepEqual(removeStaleProfiles(dir).sort(), [`tvae-chromium-${dead}-AAAAAA`, 'tvae-chromium-oldDead']);
    assert.deepEqual(readdirSync(dir).sort(), [`other-${dead}`, `tvae-chromium-${alive.pid}-BBBBBB`, 'tvae-chromium-oldLive', 'tvae-chromium-oldNone'].sort());
  } finally {
    alive.kill('SIGKILL');
  }
});
