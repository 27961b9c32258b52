/**
 * Cassettes of any size for the replay benchmark, in the format src/cassette/types.ts defines:
 * `n` interactions cycling send k → fetch k → list by recipient k, as an app that sends and then
 * checks on each message would have recorded them.
 */
'use strict';
const { FROM } = require('./twilio-shapes');

const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

/** The recipient of the k-th message. */
const recipient = (k) => `+1555${String(k % 10_000_000).padStart(7, '0')}`;

function message(alias, k, status) {
  const uri = `/2010-04-01/Accounts/{AccountSid}/Messages/${alias}`;
  const date = '{date:rfc2822:+0}';
  return {
    body: `message ${k}`, num_segments: '1', direction: 'outbound-api', from: FROM, date_updated: date, price: null,
    error_message: null, uri: `${uri}.json`, account_sid: '{AccountSid}', num_media: '0', to: recipient(k),
    date_created: date, status, sid: alias, date_sent: null, messaging_service_sid: null, error_code: null, price_unit: 'USD',
    api_version: '2010-04-01', subresource_uris: { media: `${uri}/Media.json` },
  };
}

/** The interactions of a cassette of `n`, one at a time (a million do not fit in one JSON string). */
function* interactionsOf(n) {
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  for (let seq = 1, k = 1; seq <= n; k++) {
    const alias = `{SM#${k}}`;
    const to = recipient(k);
    const page = `${MSGS}?To=${encodeURIComponent(to)}&PageSize=1&Page=0`;
    const steps = [
      { method: 'POST', path: MSGS, query: [], form: [['Body', `message ${k}`], ['From', FROM], ['To', to]], status: 201, body: message(alias, k, 'queued') },
      { method: 'GET', path: `/2010-04-01/Accounts/{AccountSid}/Messages/${alias}.json`, query: [], form: [], status: 200, body: message(alias, k, 'sent') },
      {
        method: 'GET', path: MSGS, query: [['PageSize', '1'], ['To', to]], form: [], status: 200,
        body: { first_page_uri: page, end: 0, previous_page_uri: null, messages: [message(alias, k, 'sent')], uri: page, page_size: 1, start: 0, next_page_uri: null, page: 0 },
      },
    ];
    for (const s of steps) {
      if (seq > n) break;
      yield { seq, offsetMs: 0, request: { method: s.method, product: 'api', path: s.path, query: s.query, form: s.form }, response: { status: s.status, headers, body: s.body }, callbacks: [] };
      seq++;
    }
  }
}

/** A cassette of `n` interactions. */
function buildCassette(n, name = `bench-${n}`) {
  return { version: 1, name, callbacks: 'recorded', interactions: [...interactionsOf(n)] };
}

/**
 * Writes the cassette of `n` interactions to `file` as it is generated, one interaction per line
 * (valid cassette JSON, compact): a million interactions are ~0.9 GB, written in a few seconds
 * without holding them. Returns the file's size in bytes.
 */
function writeCassetteFile(file, n, name = `bench-${n}`) {
  const { openSync, writeSync, closeSync } = require('node:fs');
  const fd = openSync(file, 'w');
  let bytes = 0;
  let pending = [];
  const flush = () => {
    const buf = Buffer.from(pending.join(''));
    pending = [];
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    bytes += buf.length;
  };
  try {
    pending.push(`{"version":1,"name":${JSON.stringify(name)},"callbacks":"recorded","interactions":[\n`);
    let first = true;
    for (const i of interactionsOf(n)) {
      pending.push((first ? '' : ',\n') + JSON.stringify(i));
      first = false;
      if (pending.length >= 4096) flush();
    }
    pending.push('\n]}\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** `count` list requests (as URL paths) spread evenly over the cassette's list entries. */
function listPaths(n, accountSid, count = 32) {
  const lists = Math.floor(n / 3); // list entries: k = 1..lists
  const out = [];
  for (let j = 0; j < count; j++) {
    const k = 1 + Math.floor((j * (lists - 1)) / Math.max(1, count - 1));
    out.push(`/2010-04-01/Accounts/${accountSid}/Messages.json?PageSize=1&To=${encodeURIComponent(recipient(k))}`);
  }
  return out;
}

module.exports = { buildCassette, writeCassetteFile, interactionsOf, listPaths };
