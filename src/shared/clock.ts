import { Injectable } from '@nestjs/common';

/**
 * The one source of "now" outside the pure domain. Domain code gets the time on its commands;
 * tests replace this provider to move time.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
