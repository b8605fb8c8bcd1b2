import { InvalidArgumentError } from 'commander';

/** commander's parser for counts and intervals given on the command line */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
