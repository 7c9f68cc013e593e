// Timetable entry ids are built and read back by one module (schedules/entry-ids.ts).
import { describe, expect, it } from 'vitest';
import {
  alertEntryId,
  alertIdOf,
  announcementEntryId,
  parseEntryId,
  slotEntryId,
} from '../../schedules/entry-ids.ts';

describe('entry ids', () => {
  it('reads back what it builds, for each kind', () => {
    expect(slotEntryId('sang', '2025-03-03')).toBe('sang@2025-03-03');
    expect(alertEntryId('al-lu')).toBe('alert:al-lu');
    expect(announcementEntryId('ov-1')).toBe('local:ov-1');
    expect(parseEntryId('sang@2025-03-03')).toEqual({
      kind: 'slot',
      slotId: 'sang',
      localDate: '2025-03-03',
    });
    expect(parseEntryId('alert:al-lu')).toEqual({ kind: 'alert', alertId: 'al-lu' });
    expect(parseEntryId('local:ov-1')).toEqual({ kind: 'announcement', overrideId: 'ov-1' });
    expect(parseEntryId('sang')).toBeNull();
  });

  it('names the bulletin of a bulletin entry only', () => {
    expect(alertIdOf('alert:al-lu')).toBe('al-lu');
    expect(alertIdOf('sang@2025-03-03')).toBeNull();
    expect(alertIdOf('local:ov-1')).toBeNull();
  });
});
