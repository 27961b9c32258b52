/**
 * Constants shared by the benchmark's clients and servers: the sender the bench seed owns, the
 * request a create sends, and a Message body of Twilio's shape and size for the ceiling server.
 */
'use strict';
const { twilioJson } = require(`${require('./dist').DIST}/twilio/wire`);

/** The number the benchmark session owns (its only valid `From`). */
const FROM = '+15555550123';
/** The recipient of every create (no seed outcome rule applies to it: the default timeline runs). */
const TO = '+15551230000';
/** Seed of every benchmark mirror: one owned number, the default (flowing) clock and timeline. */
const SEED = { name: 'bench', description: 'benchmark: one owned number, default timeline', numbers: [{ phoneNumber: FROM }] };
/** The form body of a create. */
const CREATE_FORM = new URLSearchParams({ To: TO, From: FROM, Body: 'Your code is 123456' }).toString();

const ACCOUNT = 'AC' + 'a'.repeat(32);
const SID = 'SM' + 'b'.repeat(32);

/** A Message as Twilio's JSON bytes (key order, separators, dates) with the given status. */
function messageBody(status) {
  const date = 'Thu, 30 Jul 2015 20:12:31 +0000';
  const base = `/2010-04-01/Accounts/${ACCOUNT}/Messages/${SID}`;
  const m = {
    body: 'Your code is 123456', num_segments: '1', direction: 'outbound-api', from: FROM, date_updated: date, price: null,
    error_message: null, uri: `${base}.json`, account_sid: ACCOUNT, num_media: '0', to: TO, date_created: date, status, sid: SID,
    date_sent: null, messaging_service_sid: null, error_code: null, price_unit: 'USD', api_version: '2010-04-01',
    subresource_uris: { media: `${base}/Media.json` },
  };
  return twilioJson(m); // computed once at start-up: mirra's serialiser costs the ceiling nothing
}

/** `Basic base64(user:pass)`. */
const basic = (user, pass) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');

module.exports = { FROM, TO, SEED, CREATE_FORM, ACCOUNT, messageBody, basic };
