import type { Command } from 'commander';

// Interim: the `report` command (re-render a bundle, --allure) lands with issue 5's Allure work.
export function registerReport(_cli: Command, _setExit: (code: number) => void): void {}
