/** Builds dist/cli.mjs (and its chunks) when a source is newer; returns the path of the entry. */
export declare const bundlePath: string;
export declare function ensureBuilt(): Promise<string>;
