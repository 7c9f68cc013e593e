// Station metrics for the health message: free disk under the data dir, CPU temperature, system uptime.
import { readFileSync, statfsSync } from 'node:fs';
import { uptime } from 'node:os';

export interface SystemMetrics {
  diskFreeBytes: number | null;
  cpuTempC: number | null;
  systemUptimeSec: number;
}

export interface MetricsDeps {
  dataDir: string;
  /** The SoC's thermal zone on a Pi; absent on most containers and VMs. */
  thermalPath?: string;
}

export function systemMetrics(deps: MetricsDeps): SystemMetrics {
  let diskFreeBytes: number | null = null;
  try {
    const s = statfsSync(deps.dataDir);
    diskFreeBytes = s.bavail * s.bsize;
  } catch {}
  let cpuTempC: number | null = null;
  try {
    // millidegrees Celsius
    const milli = Number(
      readFileSync(deps.thermalPath ?? '/sys/class/thermal/thermal_zone0/temp', 'utf8').trim(),
    );
    if (Number.isFinite(milli)) cpuTempC = Math.round(milli / 100) / 10;
  } catch {}
  return { diskFreeBytes, cpuTempC, systemUptimeSec: Math.round(uptime()) };
}
