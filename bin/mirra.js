#!/usr/bin/env node
'use strict';
// Before anything else allocates, while V8's young generation is still small: see
// src/cli/young-generation.ts.
require('../dist/cli/young-generation.js').capYoungGeneration();
require('../dist/cli/main.js').main(process.argv.slice(2));
