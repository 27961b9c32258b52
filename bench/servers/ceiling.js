/**
 * The ceiling: a bare fastify server answering the Messages routes with a constant Twilio-shaped
 * body — the most any Node server can do on this machine. It parses the form body (as any real
 * server must) the way mirra does (the bytes kept, URLSearchParams), and does nothing else.
 */
'use strict';
const Fastify = require('fastify');
const { serverMain } = require('../lib/child');
const { messageBody } = require('../lib/twilio-shapes');

serverMain(async () => {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });
  const created = Buffer.from(messageBody('queued'));
  const fetched = Buffer.from(messageBody('delivered'));
  const type = 'application/json; charset=utf-8';
  app.post('/2010-04-01/Accounts/:AccountSid/Messages.json', async (_req, reply) => reply.code(201).header('content-type', type).send(created));
  app.get('/2010-04-01/Accounts/:AccountSid/Messages/:file', async (_req, reply) => reply.code(200).header('content-type', type).send(fetched));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { ready: { url: `http://127.0.0.1:${app.server.address().port}` }, stop: () => app.close() };
});
