// The shared frame of every CLI: parse (commander, with exitOverride), run, and turn the outcome
// into an exit code: 0 done or --help, 2 bad arguments (commander printed why), 1 an error, printed
// as one line when it is the project's own.
import { Command, CommanderError } from 'commander';
import { TvaeError } from '../errors.ts';

export function runMain(cmd: Command, body: () => Promise<void>): void {
  const run = async (): Promise<number> => {
    try {
      cmd.parse(process.argv);
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
      throw e;
    }
    await body();
    return 0;
  };
  run().then(
    (code) => process.exit(code),
    (e) => {
      // a CommanderError here came from a nested parse (npm start builds train options): commander
      // has printed its one line already
      if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
      console.error(e instanceof TvaeError ? `error: ${e.message}` : e);
      process.exit(1);
    },
  );
}
