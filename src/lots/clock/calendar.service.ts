import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { seedFile } from '../../database/seed-files';
import { type CalendarRow, WorkingCalendar } from '../../shared/domain/working-days';

/**
 * 工作日历 — the official working-day calendar, loaded once from `seeds/cn-working-calendar.csv`
 * (holidays and make-up working days from the State Council notices). Beyond the loaded years
 * the calendar counts weekdays only and marks its answers provisional.
 */
@Injectable()
export class CalendarService {
  private loaded?: WorkingCalendar;

  calendar(): WorkingCalendar {
    if (!this.loaded) {
      const rows: CalendarRow[] = parse<CalendarRow>(
        readFileSync(seedFile('cn-working-calendar.csv'), 'utf8'),
        {
          columns: true,
          skip_empty_lines: true,
          trim: true,
        },
      );
      this.loaded = WorkingCalendar.fromRows(rows);
    }
    return this.loaded;
  }
}
