import type { BuildFiles } from './context-build-files';
import { walkBuildFiles } from './context-scan';
import { TarPoolWriter } from './tar-pool-writer';

/**
 * The walk's turn between two looks at the event loop, in milliseconds: each look hands the buffers
 * filled meanwhile to the pool, which must not run dry (GNU tar's pace is about 1.3 MB a millisecond).
 */
const WALK_SLICE_MS = 1;

/**
 * Write the tar of a resolved context to `fd` while walking it (`strata context --tar`): the same bytes as
 * the build's upload (createContextTar after a scan), with the writes on libuv's pool (tar-pool-writer.ts)
 * so the walk and the reading hide behind them. Resolves with the bytes written; rejects with the walk's
 * error or the writing's (a closed pipe, a file that shrank), in which case the tar went out short of its end.
 */
export async function writeContextTarWhileWalking(files: BuildFiles, fd: number): Promise<number> {
  const writer = new TarPoolWriter(fd);
  try {
    await walkBuildFiles(files, {
      keepEntries: false,
      // Each file is opened moments later, and that open says whether it can be read.
      checkReadable: false,
      sliceMs: WALK_SLICE_MS,
      onEntry: (entry) => writer.add(entry),
    });
  } catch (err) {
    writer.abort(err as Error);
    throw err;
  }
  return writer.finish();
}
