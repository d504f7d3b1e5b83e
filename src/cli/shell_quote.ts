// Quotes one argument for a POSIX shell, so a printed command line can be pasted as it is: plain
// words stay bare, anything else goes in single quotes (in which only ' itself needs escaping).
export function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
