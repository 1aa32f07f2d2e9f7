#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: `npm ci` is the only build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
