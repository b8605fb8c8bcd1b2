/**
 * node-opcua, loaded on first use: it costs most of a second to import, and a CLI run against an MQTT
 * target must not pay for it. Its console warnings are routed away from the terminal (they would
 * interleave with the progress lines); OI4C_OPCUA_DEBUG=1 shows them on stderr.
 */
type ClientLibrary = typeof import('node-opcua-client');

let library: Promise<ClientLibrary> | undefined;

export function loadClientLibrary(): Promise<ClientLibrary> {
  library ??= import('node-opcua-client').then((loaded) => {
    const sink = process.env['OI4C_OPCUA_DEBUG'] === '1' ? (...args: unknown[]) => process.stderr.write(`node-opcua: ${args.map(String).join(' ')}\n`) : () => undefined;
    loaded.setWarningLogger(sink);
    loaded.setErrorLogger(sink);
    return loaded;
  });
  return library;
}
