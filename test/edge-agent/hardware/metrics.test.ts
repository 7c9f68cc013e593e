// What a station reports of its machine: free disk, the SoC temperature and uptime.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemMetrics } from '../../../edge-agent/hardware/metrics.ts';
import { tempDir } from '../../support/temp.ts';

describe('station metrics', () => {
  it('reads free disk, the SoC temperature in °C (null where absent) and uptime', () => {
    const tmp = tempDir();
    const thermal = join(tmp.dir, 'temp');
    writeFileSync(thermal, '48312\n');
    const m = systemMetrics({ dataDir: tmp.dir, thermalPath: thermal });
    expect(m.cpuTempC).toBe(48.3);
    expect(m.diskFreeBytes).toBeGreaterThan(0);
    expect(m.systemUptimeSec).toBeGreaterThan(0);
    expect(
      systemMetrics({ dataDir: join(tmp.dir, 'gone'), thermalPath: join(tmp.dir, 'none') }),
    ).toMatchObject({
      diskFreeBytes: null,
      cpuTempC: null,
    });
    tmp.cleanup();
  });
});
