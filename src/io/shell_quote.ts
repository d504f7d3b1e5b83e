// Every command line the project prints or stores (the resume and evaluate hints, config.json's
// resumeCommand) goes through here: its arguments may come from a hostile run file (a folder
// named `r$(touch x)`, a data path `x; rm -rf ~`), and a pasted line must run only the command it
// names. POSIX single quotes keep every byte literal; a single quote inside is closed, escaped
// and reopened. Pure (no node: imports), so the page can use it too.

/** A word that a POSIX shell reads back as exactly `s`. Plain words stay bare for readability. */
export function shellQuote(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `npm run <script> -- <args>` with each argument quoted. */
export function npmLine(script: string, args: string[]): string {
  return `npm run ${script} -- ${args.map(shellQuote).join(' ')}`;
}
