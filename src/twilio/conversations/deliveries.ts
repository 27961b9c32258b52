/**
 * The Conversations webhooks as deliveries: their kinds (as the delivery log and the inspector
 * name them) and the pre-events' answers the waiting actions get back. Kept apart from the
 * webhooks' code so the module's index loads nothing of the generic engine.
 */
import type { AttemptResult } from '../../callbacks/send';

/** Delivery kinds, as the log and the inspector name them. */
export const POST_KIND = 'conversations-webhook';
export const PRE_KIND = 'conversations-pre-webhook';
/** The response handler that hands a pre-event's answer back to the waiting action. */
export const PRE_RESPONSE = 'conversations.pre-webhook';

/** Pre-events' answers the actions wait for, by delivery id (one per mirror, made by ./index.ts). */
export class PreEventAnswers {
  private readonly pending = new Map<string, (result: AttemptResult) => void>();

  wait(deliveryId: string): Promise<AttemptResult> {
    return new Promise((resolve) => this.pending.set(deliveryId, resolve));
  }

  settle(deliveryId: string, result: AttemptResult): void {
    this.pending.get(deliveryId)?.(result);
    this.pending.delete(deliveryId);
  }
}

