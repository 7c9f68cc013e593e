// Instants as people read them in the console: dd/mm/yyyy HH:mm in the deployment's time zone.
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';

export function localStamp(iso: string, timeZone = DEFAULT_TIMEZONE): string {
  const z = utcToZoned(new Date(iso), timeZone);
  const [y, m, d] = z.date.split('-');
  return `${d}/${m}/${y} ${z.time.slice(0, 5)}`;
}
