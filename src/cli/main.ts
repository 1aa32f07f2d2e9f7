// Entry point: `route-server <command> [options]`.

import { readFileSync } from 'node:fs';
import { envName, optionsFor, type Command } from './option-spec.ts';
import { parseArgs, UsageError } from './parse-args.ts';
import { renderCommand, type CommandIo } from './render-command.ts';
import { runCommand } from './run-command.ts';
import { snapshotCommand } from './snapshot-command.ts';
import { staticCommand } from './static-command.ts';
import { VERSION } from './version.ts';

const COMMANDS: Record<string, { readonly summary: string; readonly run: (args: ReturnType<typeof parseArgs>, io: CommandIo) => Promise<number> }> = {
  run: { summary: 'watch the Docker daemons and keep the Traefik fragments up to date', run: runCommand },
  render: { summary: 'translate a snapshot file into Traefik configuration', run: renderCommand },
  snapshot: { summary: 'print the live snapshot of every daemon as JSON', run: snapshotCommand },
  static: { summary: "print Traefik's static configuration (traefik.yml) for this host", run: staticCommand },
};

export async function main(argv: readonly string[], io: CommandIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command ${JSON.stringify(name)}.\n${usage()}`);
    return 2;
  }
  try {
    const args = parseArgs(name as Command, rest, { env, readFile: (path) => readFileSync(path, 'utf8') });
    if (args.help) {
      io.stdout(commandUsage(name as Command));
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`route-server ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: route-server <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nroute-server <command> --help lists the options of a command.\n`;
}

function commandUsage(command: Command): string {
  const lines = optionsFor(command).map((o) => {
    const flag = `--${o.name}${o.kind === 'boolean' ? '' : ` ${o.metavar ?? 'VALUE'}`}`;
    const def = o.defaultText ? ` (default: ${o.defaultText})` : '';
    return `  ${flag.padEnd(30)} ${o.help}${def}\n  ${''.padEnd(30)} env ${envName(o.name)}`;
  });
  return `Usage: route-server ${command} [options]\n\n${lines.join('\n')}\n`;
}


const isEntry = process.argv[1] !== undefined && /route-server(\.js)?$|cli\/main\.ts$/.test(process.argv[1]);
if (isEntry) {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readFileSync(0, 'utf8'),
  };
  main(process.argv.slice(2), io, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`route-server: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
