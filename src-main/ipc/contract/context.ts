import { z } from 'zod';
import type { ContextScan } from '../../core/context/context-scan';
import type { RecentContext } from '../../core/files/recent-contexts';
import type { AddedIgnoreRule } from '../../core/files/dockerignore-rule';
import { channel, empty, ok } from './define';

const path = z.string().min(1).max(4096);
const builder = z.enum(['auto', 'classic', 'buildkit']).default('auto');

/** A folder (or a Dockerfile inside one) opened as a build context. */
export interface OpenedContext {
  /** Absolute, as given (symlinks kept, as docker build shows it). */
  contextDir: string;
  /** Set when a Dockerfile itself was opened (dropped): its name in the folder. */
  dockerfile?: string;
  /** Dockerfile candidates at the top of the folder, the default first. */
  candidates: string[];
  /** The Dockerfile this context was last opened or built with, when known. */
  remembered?: string;
}

/** A scan without its tar entries (there may be 100,000): what the context panel shows. */
export type ContextReport = Omit<ContextScan, 'entries'> & {
  /** Every tar entry counted (files, folders, links). */
  entryCount: number;
  /** Why `auto` picked this builder, or what the chosen builder costs (the build log shows the same note). */
  builderNote?: string;
};

/** Build contexts: open and remember them, see exactly what a build would send, add ignore rules. */
export const context = {
  /** Open a folder, or a Dockerfile in one (dropped); `dockerfile` is the one the person picked, remembered. */
  open: channel(z.object({ path, dockerfile: path.optional() }).strict(), z.custom<OpenedContext>()),
  /** Recently opened contexts, newest first. */
  recent: channel(empty, z.custom<RecentContext[]>()),
  forget: channel(z.object({ contextDir: path }).strict(), ok),
  /** What a build with this Dockerfile and builder would send (`auto` picks as the build does). */
  scan: channel(
    z
      .object({
        contextDir: path,
        dockerfile: path.default('Dockerfile'),
        builder,
        top: z.number().int().min(0).max(100).default(10),
      })
      .strict(),
    z.custom<ContextReport>(),
  ),
  /** Append a rule to the ignore file that build would read (created when missing), atomically. */
  addIgnoreRule: channel(
    z
      .object({ contextDir: path, dockerfile: path.default('Dockerfile'), builder, rule: z.string().min(1).max(1024) })
      .strict(),
    z.custom<AddedIgnoreRule>(),
  ),
};
