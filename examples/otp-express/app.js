// An OTP sign-up with Twilio Verify, plus a welcome SMS whose delivery reports come back to
// /twilio/status, signed by Twilio (or mirra) and checked with twilio.webhook().
//
// Configured by the environment only, as in production: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
// (and, against mirra, what `mirra env` prints: HTTP_PROXY, NODE_EXTRA_CA_CERTS, ...).
'use strict';
const express = require('express');
const twilio = require('twilio');

const VERIFY_SERVICE_SID = process.env.VERIFY_SERVICE_SID || 'VA00000000000000000000000000000001';
const SMS_FROM = process.env.SMS_FROM || '+15555550123';
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The app. `publicUrl()` is where Twilio can reach it (for the StatusCallback URL); it is known
 * once the server listens, so it is asked for on each send.
 */
function createApp({ publicUrl, client = twilio() }) {
  const app = express();
  const verify = client.verify.v2.services(VERIFY_SERVICE_SID);
  /** Delivery statuses per welcome message SID, as the status callbacks reported them. */
  const deliveries = new Map();

  app.post('/signup', express.json(), async (req, res) => {
    const phone = req.body?.phone;
    if (typeof phone !== 'string' || !E164.test(phone)) return res.status(400).json({ error: 'phone must be E.164, e.g. +15551230100' });
    const verification = await verify.verifications.create({ to: phone, channel: 'sms' });
    res.status(202).json({ status: verification.status });
  });

  app.post('/verify', express.json(), async (req, res) => {
    const { phone, code } = req.body ?? {};
    if (typeof phone !== 'string' || typeof code !== 'string') return res.status(400).json({ error: 'phone and code are required' });
    let check;
    try {
      check = await verify.verificationChecks.create({ to: phone, code });
    } catch (err) {
      // 20404: nothing pending for this number (expired, already approved, never started).
      if (err.code === 20404) return res.status(410).json({ verified: false, error: 'no pending verification' });
      throw err;
    }
    if (check.status !== 'approved') return res.status(401).json({ verified: false, status: check.status });
    const welcome = await client.messages.create({
      to: phone,
      from: SMS_FROM,
      body: 'Welcome aboard! Your phone number is verified.',
      statusCallback: `${publicUrl()}/twilio/status`,
    });
    // A status callback may beat this line; keep what it recorded after the initial status.
    deliveries.set(welcome.sid, [welcome.status, ...(deliveries.get(welcome.sid) ?? [])]);
    res.json({ verified: true, welcomeSid: welcome.sid });
  });

  // Twilio posts form-encoded status callbacks; twilio.webhook() checks X-Twilio-Signature against
  // TWILIO_AUTH_TOKEN and answers 403 (400 without the header) before the handler runs.
  app.post('/twilio/status', express.urlencoded({ extended: false }), twilio.webhook(), (req, res) => {
    const { MessageSid, MessageStatus } = req.body;
    deliveries.set(MessageSid, [...(deliveries.get(MessageSid) ?? []), MessageStatus]);
    res.status(204).end();
  });

  app.get('/messages/:sid', (req, res) => {
    const statuses = deliveries.get(req.params.sid);
    if (!statuses) return res.status(404).json({ error: 'unknown message' });
    res.json({ sid: req.params.sid, status: statuses.at(-1), statuses });
  });

  app.use((err, req, res, next) => {
    // A Twilio API error (RestException) carries Twilio's code; pass it on, never a stack trace.
    if (err.status && err.code) return res.status(err.status >= 500 ? 502 : err.status).json({ error: err.message, code: err.code });
    next(err);
  });

  return app;
}

/** Starts the app on `port` (0 = a free one); resolves with the server and its base URL. */
function start({ port = 0, host = '127.0.0.1', publicUrl } = {}) {
  let base = publicUrl;
  const app = createApp({ publicUrl: () => base });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err) => {
      if (err) return reject(err);
      base ??= `http://${host}:${server.address().port}`;
      resolve({ server, url: base });
    });
  });
}

module.exports = { createApp, start };
