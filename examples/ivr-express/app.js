// A dental office's phone line: an IVR menu for callers (appointments, or a voicemail), and
// appointment reminder calls that ask the patient to confirm. TwiML is built with
// twilio.twiml.VoiceResponse, and every webhook from Twilio (or mirra) is checked with
// twilio.webhook() before it is handled.
//
// Configured by the environment only, as in production: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
// (and, against mirra, what `mirra env` prints: HTTP_PROXY, NODE_EXTRA_CA_CERTS, ...).
'use strict';
const express = require('express');
const twilio = require('twilio');

const { VoiceResponse } = twilio.twiml;

/**
 * The app. `publicUrl()` is where Twilio can reach it (for webhook URLs); it is known once the
 * server listens, so it is asked for on each use.
 */
function createApp({ publicUrl, client = twilio() }) {
  const app = express();
  /** Status callbacks per call SID, in the order they arrived. */
  const statuses = new Map();
  /** Voicemails by recording SID, from the recording status callback. */
  const voicemails = new Map();
  /** Reminder answers per call SID: "confirmed" or "cancel". */
  const answers = new Map();

  // Every Twilio webhook: a form body, signed with X-Twilio-Signature (403 when it does not match).
  const fromTwilio = [express.urlencoded({ extended: false }), twilio.webhook()];
  const twiml = (res, response) => res.type('text/xml').send(response.toString());

  app.post('/voice', fromTwilio, (req, res) => {
    const response = new VoiceResponse();
    const gather = response.gather({ numDigits: 1, action: '/voice/menu', timeout: 5 });
    gather.say('Welcome to Mirra Dental. Press 1 for your next appointment. Press 2 to leave a message.');
    response.say('We did not receive any input. Goodbye.');
    twiml(res, response);
  });

  app.post('/voice/menu', fromTwilio, (req, res) => {
    const response = new VoiceResponse();
    if (req.body.Digits === '1') {
      response.say('Your next appointment is on Monday at 9 AM.');
      response.hangup();
    } else if (req.body.Digits === '2') {
      response.say('Please leave a message after the beep.');
      response.record({ maxLength: 60, timeout: 3, action: '/voice/voicemail-done', recordingStatusCallback: '/voice/recording' });
    } else {
      response.say('Sorry, that is not an option.');
      response.redirect('/voice');
    }
    twiml(res, response);
  });

  app.post('/voice/voicemail-done', fromTwilio, (req, res) => {
    const response = new VoiceResponse();
    response.say('Thank you. Goodbye.');
    twiml(res, response);
  });

  app.post('/voice/recording', fromTwilio, (req, res) => {
    const { RecordingSid, RecordingUrl, RecordingDuration, CallSid, RecordingStatus } = req.body;
    voicemails.set(RecordingSid, { recordingSid: RecordingSid, callSid: CallSid, url: RecordingUrl, duration: Number(RecordingDuration), status: RecordingStatus });
    res.status(204).end();
  });

  app.post('/voice/reminder', fromTwilio, (req, res) => {
    const response = new VoiceResponse();
    const gather = response.gather({ numDigits: 1, action: '/voice/reminder/answer' });
    gather.say('This is Mirra Dental reminding you of your appointment tomorrow at 9 AM. Press 1 to confirm, or 2 to cancel.');
    response.say('Goodbye.');
    twiml(res, response);
  });

  app.post('/voice/reminder/answer', fromTwilio, (req, res) => {
    const confirmed = req.body.Digits === '1';
    answers.set(req.body.CallSid, confirmed ? 'confirmed' : 'cancel');
    const response = new VoiceResponse();
    response.say(confirmed ? 'Thank you, see you tomorrow.' : 'Your appointment is canceled.');
    twiml(res, response);
  });

  app.post('/voice/status', fromTwilio, (req, res) => {
    const { CallSid, CallStatus, SequenceNumber } = req.body;
    statuses.set(CallSid, [...(statuses.get(CallSid) ?? []), { status: CallStatus, sequence: Number(SequenceNumber) }]);
    res.status(204).end();
  });

  // The app's own API: place a reminder call, read what came back.
  app.post('/reminders', express.json(), async (req, res) => {
    const { to, from } = req.body ?? {};
    if (typeof to !== 'string' || typeof from !== 'string') return res.status(400).json({ error: 'to and from are required' });
    const call = await client.calls.create({
      to,
      from,
      url: `${publicUrl()}/voice/reminder`,
      statusCallback: `${publicUrl()}/voice/status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    res.status(201).json({ callSid: call.sid, status: call.status });
  });

  app.get('/calls/:sid', (req, res) => {
    res.json({ sid: req.params.sid, statuses: statuses.get(req.params.sid) ?? [], answer: answers.get(req.params.sid) ?? null });
  });

  app.get('/voicemails', (req, res) => res.json({ voicemails: [...voicemails.values()] }));

  app.use((err, req, res, next) => {
    // A Twilio API error (RestException) carries Twilio's code; pass it on, never a stack trace.
    if (err.status && err.code) return res.status(err.status >= 500 ? 502 : err.status).json({ error: err.message, code: err.code });
    next(err);
  });

  return app;
}

/** Points the office's number at this app: its voice URL (calls in) and status callback. */
async function configureNumber(client, phoneNumber, base) {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 });
  if (!number) throw new Error(`${phoneNumber} is not a number of this account`);
  await client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${base}/voice`, voiceMethod: 'POST', statusCallback: `${base}/voice/status` });
}

/**
 * Starts the app on `port` (0 = a free one) and, given `number`, points that number at it;
 * resolves with the server and its base URL.
 */
async function start({ port = 0, host = '127.0.0.1', publicUrl, number, client = twilio() } = {}) {
  let base = publicUrl;
  const app = createApp({ publicUrl: () => base, client });
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err) => (err ? reject(err) : resolve(s)));
  });
  base ??= `http://${host}:${server.address().port}`;
  if (number) await configureNumber(client, number, base);
  return { server, url: base };
}

module.exports = { createApp, start };
