import { Util } from 'dockerfile-ast/lib/util';

/**
 * dockerfile-ast (under dockerfile-utils and dockerfile-language-service) tests for a byte order mark with
 * Node's global Buffer, which a browser page does not have. A BOM is U+FEFF whatever the encoding, so the
 * same test needs no Buffer; patching this one static keeps a Node global out of the renderer.
 */
Util.isUTF8BOM = (char: string): boolean => char === '\uFEFF';
