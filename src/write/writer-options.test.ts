import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../model/logger.ts';
import { FragmentWriter, type FragmentWriterOptions } from './fragment-writer.ts';
import { resolveWriterOptions } from './writer-options.ts';

function refused(options: unknown, message: string): void {
  assert.throws(() => new FragmentWriter(options as FragmentWriterOptions), { name: 'TypeError', message });
}

describe('writer options', () => {
  it('fills defaults and makes the directory absolute', () => {
    const resolved = resolveWriterOptions({ dir: 'out', prefix: 'rs-' });
    assert.deepEqual(resolved, {
      dir: `${process.cwd()}/out`,
      prefix: 'rs-',
      logger: silentLogger,
      retryInitialMs: 100,
      retryMaxMs: 30_000,
      watch: true,
    });
  });

  it('refuses bad options with exact messages', () => {
    refused(undefined, 'Expected `options` to be an object, got undefined (undefined)');
    refused({ dir: '', prefix: 'rs-' }, 'Expected `dir` to be a non-empty path, got ""');
    refused({ dir: 42, prefix: 'rs-' }, 'Expected `dir` to be a non-empty path, got 42 (number)');
    refused({ dir: '/out', prefix: '' }, 'Expected `prefix` to be a non-empty string of [A-Za-z0-9._-], got ""');
    refused({ dir: '/out', prefix: '../rs-' }, 'Expected `prefix` to be a non-empty string of [A-Za-z0-9._-], got "../rs-"');
    refused({ dir: '/out', prefix: 'x'.repeat(129) }, `Expected \`prefix\` to be at most 128 characters, got "${'x'.repeat(129)}"`);
    refused({ dir: '/out' }, 'Expected `prefix` to be a non-empty string of [A-Za-z0-9._-], got undefined (undefined)');
    refused({ dir: '/out', prefix: 'rs-', logger: console.log }, 'Expected `logger` to have debug, info, warn and error methods, got a function');
    refused({ dir: '/out', prefix: 'rs-', logger: { info() {} } }, 'Expected `logger` to have debug, info, warn and error methods, got an object');
    refused({ dir: '/out', prefix: 'rs-', retryInitialMs: 0 }, 'Expected `retryInitialMs` to be a finite number > 0, got 0 (number)');
    refused({ dir: '/out', prefix: 'rs-', retryInitialMs: Number.NaN }, 'Expected `retryInitialMs` to be a finite number > 0, got NaN (number)');
    refused(
      { dir: '/out', prefix: 'rs-', retryInitialMs: 500, retryMaxMs: 100 },
      'Expected `retryMaxMs` to be a finite number >= `retryInitialMs` (500), got 100 (number)',
    );
    refused({ dir: '/out', prefix: 'rs-', watch: 'yes' }, 'Expected `watch` to be a boolean, got "yes"');
  });
});
