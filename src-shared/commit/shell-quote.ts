/** Quote one argument for a POSIX shell: bare when only safe characters, else single-quoted. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  // Inside single quotes nothing is special except the closing quote, which is written as '\''.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Join arguments into one shell command line. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
