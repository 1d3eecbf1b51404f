/** The Vimeo and S3 fakes in their own process (so their stored bytes do not count as the uploader's memory). */
import { FakeS3 } from '../../test/fakes/s3.fake.js';
import { FakeVimeo } from '../../test/fakes/vimeo.fake.js';

const vimeo = await new FakeVimeo().start();
const s3 = await new FakeS3().start();
process.stdout.write(`${JSON.stringify({ vimeo: vimeo.url, token: vimeo.token, s3: s3.url, bucket: s3.bucket, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey })}\n`);
// Drop stored objects as they arrive: the bench measures transfer, not the fake's memory.
setInterval(() => {
  s3.objects.clear();
  for (const v of vimeo.videos.values()) if (v.offset === v.size) v.data = [];
}, 200).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
