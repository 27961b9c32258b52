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
  MIRRA_ERR_UNAUTHORIZED: { status: 401, message: 'The control plane needs the mirra token' },
  MIRRA_ERR_INTERNAL: { status: 500, message: 'Internal mirra error' },
  MIRRA_ERR_NO_RECORDING: { status: 400, message: 'Not in the cassette' },
  MIRRA_ERR_UNKNOWN_CASSETTE: { status: 400, message: 'No such cassette' },
  MIRRA_ERR_INVALID_CASSETTE: { status: 400, message: 'The cassette is not valid' },
  MIRRA_ERR_UNFINISHED_RECORDING: { status: 409, message: 'An unfinished recording of this cassette is in the working store' },
  MIRRA_ERR_UNKNOWN_REVISION: { status: 400, message: 'git cannot read that revision' },
  MIRRA_ERR_NOT_A_REPOSITORY: { status: 400, message: 'Not in a git repository' },
  MIRRA_ERR_INVALID_IMPORT: { status: 400, message: 'The recording to import cannot be read' },
  MIRRA_ERR_CASSETTE_EXISTS: { status: 409, message: 'A cassette of that name exists already' },
  MIRRA_ERR_BAD_OPTION: { status: 400, message: 'An option is not valid' },
  MIRRA_ERR_CA_UNAVAILABLE: { status: 500, message: "mirra's CA cannot be read or created" },
  MIRRA_ERR_TRUST_STORE: { status: 500, message: 'The system trust store could not be changed' },
  MIRRA_ERR_NO_MIRROR: { status: 502, message: 'No mirror answers there' },
} as const;

/** A code of mirra's own catalogue. */
export type MirraErrorCode = keyof typeof MIRRA_ERRORS;

/**
 * What to do about each error, appended to its message (issue #7: errors name the fix). Typed by
 * the catalogue, so a code without its fix does not compile. A call site that knows better passes
 * its own fix.
 */
export const MIRRA_ERROR_FIXES: Record<MirraErrorCode, string> = {
  MIRRA_ERR_BAD_REQUEST: 'change the request as described (README.md, "Control plane", lists every route and its body)',
  MIRRA_ERR_UNKNOWN_SESSION: 'use an existing session id (GET /_mirra/sessions lists them) or create the session first (POST /_mirra/sessions)',
  MIRRA_ERR_UNKNOWN_EVENT: 'send one of the known events as "event" (README.md, "Simulate events")',
  MIRRA_ERR_UNKNOWN_SEED: 'use twilio:NAME with a built-in seed (`mirra seeds` lists them) or the path of a seed JSON file',
  MIRRA_ERR_INVALID_SEED: 'correct that part of the seed; the built-in seeds (fixtures/twilio/*.json) are working examples',
  MIRRA_ERR_NOT_FOUND: 'check the path and the SID: a SID must belong to the session the request addresses (?session=ID)',
  MIRRA_ERR_INVALID_TRANSITION: 'read the current status first (GET the resource); a simulate event only moves it forward',
  MIRRA_ERR_PAYLOAD_TOO_LARGE: 'send a body under 1 MiB',
  MIRRA_ERR_UNAUTHORIZED: 'pass the token the mirror was started with (`mirra up` prints it, `mirra env` exports it as MIRRA_TOKEN), or listen on 127.0.0.1, where none is needed',
  MIRRA_ERR_INTERNAL: 'this is a bug in mirra: rerun with --log-level debug and report the log',
  MIRRA_ERR_NO_RECORDING: 're-record the cassette (`mirra record`) if the app changed on purpose — `--record new` adds what is missing, `--record all` records everything again — or replay without --strict to let the emulator answer',
  MIRRA_ERR_UNKNOWN_CASSETTE: 'check the name (cassettes/NAME.cassette.json; `mirra cassettes list` shows them) or pass a path ending in .json',
  MIRRA_ERR_INVALID_CASSETTE: 're-record it with `mirra record --record all` rather than editing it by hand',
  MIRRA_ERR_UNFINISHED_RECORDING: 'write it with `mirra cassettes recover NAME`, or pass --overwrite to discard it',
  MIRRA_ERR_UNKNOWN_REVISION: 'name a commit, branch or tag of this repository (`git log --oneline` lists them); in CI, fetch it first (actions/checkout with `fetch-depth: 0`, or `git fetch origin main`)',
  MIRRA_ERR_NOT_A_REPOSITORY: 'run mirra inside the git repository that holds the cassettes (with git installed); to compare two files without git: `mirra cassettes diff OLD NEW`',
  MIRRA_ERR_INVALID_IMPORT: 'pass files of the format --from names: polly (a HAR, recording.har), nock (a JSON list of recorded definitions), vcr (a VCR or vcrpy YAML cassette), talkback (.json5 tapes); docs/record-cassettes.md, "Import", describes each',
  MIRRA_ERR_CASSETTE_EXISTS: 'choose another --name, or pass --force to replace it (its match rules are kept)',
  MIRRA_ERR_BAD_OPTION: 'correct the option as described (`mirra <command> --help` lists them)',
  MIRRA_ERR_NO_MIRROR: 'start one with `mirra up`, or point at the running one with --url URL, --port N or its --data-dir',
  MIRRA_ERR_TRUST_STORE: 'run it as root (`sudo npx mirra trust`), or install the CA by hand: `mirra trust --print` shows the commands',
  MIRRA_ERR_CA_UNAVAILABLE: 'point --ca-dir (or MIRRA_CA_DIR) at a directory you can write, where the CA is made once; a CA left half-written there can be removed so a new one is made',
};

/** `message: detail. Fix: fix.` — the catalogue's message, what went wrong, and what to do. */
function withFix(message: string, detail: string | undefined, fix: string): string {
  const head = detail ? `${message}: ${detail}` : message;
  return `${head}${/[.!?]$/.test(head) ? '' : '.'} Fix: ${fix}${/[.!?]$/.test(fix) ? '' : '.'}`;
}

/** An error of mirra itself (not of the emulated Twilio API). */
export class MirraError extends Error {
  readonly status: number;
  /** What to do about it (also the end of the message). */
  readonly fix: string;

  constructor(
    readonly code: MirraErrorCode,
    detail?: string,
    fix: string = MIRRA_ERROR_FIXES[code],
  ) {
    super(withFix(MIRRA_ERRORS[code].message, detail, fix));
    this.name = 'MirraError';
    this.status = MIRRA_ERRORS[code].status;
    this.fix = fix;
  }

  /** mirra's error as a control-plane answer carried it ({@link toBody}), for a client (the CLI) to show as it was. */
  static fromBody(body: { code: MirraErrorCode; message: string }): MirraError {
    const err = new MirraError(body.code);
    err.message = body.message;
    return err;
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
