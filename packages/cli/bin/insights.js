#!/usr/bin/env node
// The `insights` command. Kept in git (not built) so that `npm ci` can link it before the first
// build; it runs the compiled entry point, which `npm run build` writes to dist/.
import '../dist/entry.js';
