/**
 * Reading request bodies, once, for every mode: the raw bytes are kept (record forwards them as
 * the app sent them), and form bodies become params — `application/x-www-form-urlencoded` and
 * `multipart/form-data` alike, since Twilio accepts both and twilio-node 3.0–3.40 sends the latter
 * (twilio-voice-and-more.md §14). JSON is parsed for the control plane; for an API route a JSON
 * body counts as no params, as it does on Twilio (21604 for a JSON message create). Nothing here
 * fails a request: an unreadable body is no params.
 */
import { Readable } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramsOf } from '../core/form-body';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received; null for a bodiless request. */
    rawBody: Buffer | null;
  }
}

/** Marks a JSON body that did not parse, so the control plane can say so. */
export const INVALID_JSON = '__invalidJson';

/** The fields of a multipart body (file parts are read and ignored, as Twilio ignores them). */
function multipartFields(request: FastifyRequest, raw: Buffer): Promise<[string, string][]> {
  return new Promise((resolve) => {
    const fields: [string, string][] = [];
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: request.headers as never, defCharset: 'utf8' });
    } catch {
      return resolve([]); // no boundary: nothing to read
    }
    parser.on('field', (name: string, value: string) => fields.push([name, value]));
    parser.on('file', (_name: string, stream: Readable) => stream.resume());
    parser.on('finish', () => resolve(fields));
    parser.on('error', () => resolve(fields));
    Readable.from([raw]).pipe(parser);
  });
}

/** Registers the body parsers on `app`. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.decorateRequest('rawBody', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    done(null, paramsOf(new URLSearchParams(raw.toString('utf8'))));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    multipartFields(request, raw).then((fields) => done(null, paramsOf(fields)));
  });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    const text = raw.toString('utf8');
    if (!text.trim()) return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, { [INVALID_JSON]: true });
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, {});
  });
}
