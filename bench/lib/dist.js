/**
 * Where the compiled mirra under test lives: the repository's dist/ (fresh from `npm run build`),
 * or BENCH_DIST, e.g. a baseline build to compare a change with.
 */
'use strict';
const { resolve, join } = require('node:path');

module.exports = { DIST: resolve(process.env.BENCH_DIST ?? join(__dirname, '..', '..', 'dist')) };
