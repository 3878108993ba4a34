import { z } from 'zod';
import type { ContextScan } from '../../core/context/context-scan';
import type { RecentContext } from '../../core/files/recent-contexts';
import type { AddedIgnoreRule } from '../../core/files/dockerignore-rule';
import type { ContextBuilder } from '../../core/context/context-build-files';
import type { ContextRule } from '../../core/context/context-tree';
import type { ContextTreePage } from '../../core/context/context-tree-rows';
import type { NoteTone } from '../../core/build/build-plan';
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
  /** Information, or a warning: how the panel shows the note. */
  builderNoteTone?: NoteTone;
  /** How the build takes the context: a tar upload, or BuildKit's session (which sends file contents, no tar). */
  transfer: 'tar' | 'session';
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
  /** Walk the context as the build would and keep its tree in main: every path, sent or excluded, with its rule. */
  tree: channel(
    z.object({ contextDir: path, dockerfile: path.default('Dockerfile'), builder }).strict(),
    z.custom<ContextTreeInfo>(),
  ),
  /** A window of the flattened context tree under a search, a view and the folders opened. */
  treeRows: channel(
    z
      .object({
        treeId: z.string().min(1).max(64),
        filter: z.string().max(4096).default(''),
        show: z.enum(['all', 'sent', 'excluded', 'changed']).default('all'),
        expanded: z.array(z.string().max(4096)).max(20_000).default([]),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(0).max(5000).default(200),
      })
      .strict(),
    z.custom<ContextTreePage>(),
  ),
};

/** The whole context as a tree, kept in main; the renderer pages through its rows by `treeId`. */
export interface ContextTreeInfo {
  treeId: string;
  contextDir: string;
  builder: ContextBuilder;
  /** The ignore file the build plan applies (BuildKit prefers `<Dockerfile>.dockerignore`). */
  ignoreFile: { path: string; kind: 'dockerfile-specific' | 'context' } | null;
  rules: ContextRule[];
  sentFiles: number;
  sentBytes: number;
  excludedFiles: number;
  excludedBytes: number;
  /** Paths sent only because a `!` rule re-included them. */
  reincluded: number;
  /** Since the last successful build of this context, Dockerfile and builder; null when there is none. */
  since: { builtAt: number; added: number; changed: number; removed: number } | null;
  builderNote?: string;
  builderNoteTone?: NoteTone;
}

export type { ContextRule } from '../../core/context/context-tree';
export type { ContextTreePage, ContextTreeRow, ContextTreeShow } from '../../core/context/context-tree-rows';
