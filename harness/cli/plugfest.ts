import type { Command } from 'commander';

// Interim: the `plugfest` command lands with issue 5's plugfest work.
export function registerPlugfest(_cli: Command, _setExit: (code: number) => void): void {}
