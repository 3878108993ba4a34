const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/**
 * docker/go-units HumanSize: decimal units, four significant digits, no space ("4.608kB", "1.98MB"),
 * the figure `docker build` prints after "Sending build context to Docker daemon".
 */
export function humanSize(bytes: number): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(4))}${UNITS[i]}`;
}
