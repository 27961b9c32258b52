/**
 * mirra's own errors (control plane, CLI, replay), each with a stable `MIRRA_ERR_*` code that the
 * README documents. The body shape mirrors Twilio's so clients can show it the same way.
 */

export const MIRRA_ERRORS = {
  MIRRA_ERR_BAD_REQUEST: { status: 400, message: 'The request body is not valid for this endpoint' },
  MIRRA_ERR_UNKNOWN_SESSION: { status: 404, message: 'No such session' },
  MIRRA_ERR_UNKNOWN_EVENT: { status: 400, message: 'Unknown simulate event' },
  MIRRA_ERR_UNKNOWN_SEED: { status: 400, message: 'Unknown seed' },
  MIRRA_ERR_INVALID_SEED: { status: 400, message: 'The seed is not valid' },
  MIRRA_ERR_NOT_FOUND: { status: 404, message: 'No such resource' },
  MIRRA_ERR_INVALID_TRANSITION: { status: 409, message: 'That transition is not possible from the current status' },
  MIRRA_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  MIRRA_ERR_INTERNAL: { status: 500, message: 'Internal mirra error' },
  MIRRA_ERR_NO_RECORDING: { status: 400, message: 'No recorded interaction matches this request (replay --strict)' },
  MIRRA_ERR_UNKNOWN_CASSETTE: { status: 400, message: 'No such cassette' },
  MIRRA_ERR_INVALID_CASSETTE: { status: 400, message: 'The cassette is not valid' },
} as const;

/** A code of mirra's own catalogue. */
export type MirraErrorCode = keyof typeof MIRRA_ERRORS;

/** An error of mirra itself (not of the emulated Twilio API). */
export class MirraError extends Error {
  readonly status: number;

  constructor(
    readonly code: MirraErrorCode,
    detail?: string,
  ) {
    super(detail ? `${MIRRA_ERRORS[code].message}: ${detail}` : MIRRA_ERRORS[code].message);
    this.name = 'MirraError';
    this.status = MIRRA_ERRORS[code].status;
  }

  /** JSON body: `{code, message, more_info, status}` like Twilio's, with mirra's code. */
  toBody(): { code: string; message: string; more_info: string; status: number } {
    return {
      code: this.code,
      message: this.message,
      more_info: 'README.md#mirra-errors',
      status: this.status,
    };
  }
}
