import { Injectable } from '@nestjs/common';

/** Set once shutdown begins: readiness answers 503 from then on. */
@Injectable()
export class DrainState {
  draining = false;
}
