/**
 * CRC-32 (the zlib / S3 `CRC32` polynomial) of the concatenation A‖B from crc(A), crc(B) and
 * len(B), without the bytes. Parts can then be checksummed as they finish, in any order, and
 * combined into the full-object CRC that CompleteMultipartUpload checks.
 *
 * Appending len(B) zero bytes to A is a linear map over GF(2); it is applied by repeated
 * squaring of the one-zero-bit operator (32×32 bit matrices stored as 32 column words).
 */

const REVERSED_POLY = 0xedb88320;

function matrixTimes(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  let v = vector >>> 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) {
    if (v & 1) sum ^= matrix[i] ?? 0;
  }
  return sum >>> 0;
}

function matrixSquare(target: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) target[n] = matrixTimes(matrix, matrix[n] ?? 0);
}

/**
 * Combines two CRC-32 values.
 * @param crcA - CRC-32 of the first block (unsigned 32-bit).
 * @param crcB - CRC-32 of the second block.
 * @param lengthB - byte length of the second block (any safe integer, beyond 4 GiB too).
 * @returns CRC-32 of the two blocks concatenated.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = REVERSED_POLY;
  for (let n = 1; n < 32; n++) odd[n] = 1 << (n - 1);
  matrixSquare(even, odd); // two zero bits
  matrixSquare(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let remaining = lengthB;
  // Each round squares the operator (8, 16, 32… zero bits) and applies it where `remaining` has a 1 bit.
  for (;;) {
    matrixSquare(even, odd);
    if (remaining % 2 === 1) crc = matrixTimes(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    matrixSquare(odd, even);
    if (remaining % 2 === 1) crc = matrixTimes(odd, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** An unsigned CRC-32 as S3 wants it in `x-amz-checksum-crc32`: 4 bytes big-endian, base64. */
export function crc32ToBase64(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes.toString('base64');
}
