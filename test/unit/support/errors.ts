import { expect } from 'vitest';
import { ConfigError } from '../../../harness/model/index.js';

/** Runs something that must throw a ConfigError and returns its message. */
export function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
