// The shared frame of every CLI: parse (commander, with exitOverride), run, and turn the outcome
// into an exit code: 0 done or --help, 2 bad arguments (commander printed why), 1 an error, printed
// as one line when it is the project's own. Relaunches itself where the Node runtime needs it.
import { Command, CommanderError } from 'commander';
import { TvaeError } from '../errors.ts';
import { relaunchWithDriverLibraries } from '../node/relaunch.ts';
import { runtimeFromEnv, type Runtime } from '../node/worker.ts';
import { hasChromium } from '../node/chromium_path.ts';

export interface MainOptions {
  /** the runtime to use when TVAE_RUNTIME is unset (undefined: the default, Chromium) */
  defaultRuntime?: () => Runtime | undefined;
}

export function runMain(cmd: Command, body: () => Promise<void>, opts: MainOptions = {}): void {
  const run = async (): Promise<number> => {
    try {
      cmd.parse(process.argv);
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
      throw e;
    }
    if (!process.env.TVAE_RUNTIME) {
      // no browser here (a GPU server): the Node runtime is the only one there is
      const chosen = opts.defaultRuntime?.() ?? (hasChromium() ? undefined : 'node');
      if (chosen) process.env.TVAE_RUNTIME = chosen; // read by openWorker, and passed on to a relaunch
    }
    // the Node runtime's driver may need LD_LIBRARY_PATH, which only a fresh process picks up
    if (runtimeFromEnv() === 'node') {
      const code = await relaunchWithDriverLibraries();
      if (code !== undefined) return code;
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
