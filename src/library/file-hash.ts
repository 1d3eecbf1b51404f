/** The library hashes its items with the media layer's streamed sha256 (faces may be hundreds of MiB). */
export { sha256File } from '../media/file-hash.js';
