// Types for scripts/icons.mjs (imported by tests/packaging).
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}
export declare function encodePng(image: RgbaImage): Buffer;
export declare function decodePng(file: Buffer): RgbaImage;
export declare function resize(image: RgbaImage, size: number): RgbaImage;
export declare function encodeIco(pngs: Array<{ size: number; png: Buffer }>): Buffer;
export declare function encodeIcns(pngBySize: Map<number, Buffer>): Buffer;
export declare function drawSource(size?: number): RgbaImage;
export declare const LINUX_SIZES: number[];
export declare function renderIcons(sourceFile?: string): Map<string, Buffer>;
export declare function generateIcons(): string[];
