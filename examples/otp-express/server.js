// Runs the app: `PORT=3000 node server.js` (PORT=0 picks a free port). PUBLIC_URL is the URL
// Twilio reaches the app on (default http://HOST:PORT, fine against mirra on this machine).
'use strict';
const { start } = require('./app');

start({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST || '127.0.0.1', publicUrl: process.env.PUBLIC_URL }).then(({ server, url }) => {
  console.log(`otp-express listening on ${url}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
