// Runs the app: `PORT=3000 IVR_NUMBER=+15555550123 node server.js` (PORT=0 picks a free port).
// PUBLIC_URL is the URL Twilio reaches the app on (default http://HOST:PORT, fine against mirra on
// this machine); IVR_NUMBER, one of the account's numbers, is pointed at the app's /voice.
'use strict';
const { start } = require('./app');

start({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST || '127.0.0.1', publicUrl: process.env.PUBLIC_URL, number: process.env.IVR_NUMBER }).then(
  ({ server, url }) => {
    console.log(`ivr-express listening on ${url}`);
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (err) => {
    console.error(`ivr-express could not start: ${err.message}`);
    process.exit(1);
  },
);
