// Test-only S3 server for src/s3's integration test: s3rver (npm, pinned in package.json) on a
// free loopback port over a fresh directory, with bucket `rb-test`. s3rver checks only the
// access key of a SigV4 request, so a middleware in front of it verifies what our client
// sends, independently of our C++: the SigV4 signature (secret S3RVER), x-amz-content-sha256
// against the body, and Content-MD5. s3rver 3.7 lacks ListMultipartUploads and
// AbortMultipartUpload; two more middlewares serve them from its own upload directories.
// Prints {"port": N} on stdout when ready, then runs until stdin closes or it is killed.
// Usage: node --openssl-legacy-provider s3rver_start.mjs <directory> (s3rver encrypts its
// ListObjectsV2 continuation tokens with DES, a legacy cipher in OpenSSL 3).
import { createHash, createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';

const SECRETS = { S3RVER: 'S3RVER' };
const directory = process.argv[2];
if (!directory) {
  console.error('usage: node s3rver_start.mjs <directory>');
  process.exit(2);
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function s3Error(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`;
}

// Returns an error code, or null when the request is signed correctly.
function checkRequest(req, body) {
  const auth = req.headers.authorization || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return ['AuthorizationHeaderMalformed', 'bad Authorization header'];
  const [, keyId, date, region, signedHeaders, signature] = m;
  const secret = SECRETS[keyId];
  if (!secret) return ['InvalidAccessKeyId', 'unknown access key'];
  const signed = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!signed.includes(required)) return ['AccessDenied', `${required} is not signed`];
  }
  if (req.headers['content-md5'] && !signed.includes('content-md5')) {
    return ['AccessDenied', 'content-md5 is not signed'];
  }
  const payloadHash = sha256(body);
  if (req.headers['x-amz-content-sha256'] !== payloadHash) {
    return ['XAmzContentSHA256Mismatch', 'x-amz-content-sha256 does not match the body'];
  }
  if (body.length > 0 && !req.headers['content-md5']) return ['InvalidRequest', 'no Content-MD5'];
  if (req.headers['content-md5'] &&
      req.headers['content-md5'] !== createHash('md5').update(body).digest('base64')) {
    return ['BadDigest', 'Content-MD5 does not match the body'];
  }
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const pairs = rawQuery === '' ? [] : rawQuery.split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const canonicalRequest = [
    req.method,
    rawPath,
    pairs.map(([k, v]) => `${k}=${v}`).join('&'),
    signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/ +/g, ' ')}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'],
    `${date}/${region}/s3/aws4_request`, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secret}`, date);
  key = hmac(key, region);
  key = hmac(key, 's3');
  key = hmac(key, 'aws4_request');
  if (hmac(key, stringToSign).toString('hex') !== signature) {
    return ['SignatureDoesNotMatch', 'signature mismatch'];
  }
  return null;
}

async function verifySigV4(ctx, next) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const failure = checkRequest(ctx.req, body);
  if (failure) {
    s3Error(ctx, failure[0] === 'XAmzContentSHA256Mismatch' || failure[0] === 'BadDigest' ||
      failure[0] === 'InvalidRequest' || failure[0] === 'AuthorizationHeaderMalformed' ? 400 : 403,
      failure[0], failure[1]);
    return;
  }
  const replay = Readable.from(body.length ? [body] : []);
  replay.headers = ctx.req.headers;
  ctx.req = replay;
  await next();
}

function uploadsShim(server) {
  return async function uploads(ctx, next) {
    const [, bucket, ...rest] = ctx.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!bucket || !(await server.store.getBucket(bucket))) return next();
    const uploadsDir = server.store.getResourcePath(bucket, undefined, 'uploads');
    if (ctx.method === 'GET' && key === '' && 'uploads' in ctx.query) {
      const prefix = ctx.query.prefix || '';
      let ids = [];
      try { ids = await fs.readdir(uploadsDir); } catch { ids = []; }
      const uploads = [];
      for (const id of ids) {
        let uploadKey;
        try { uploadKey = await fs.readFile(path.join(uploadsDir, id, 'key'), 'utf8'); } catch { continue; }
        if (uploadKey.startsWith(prefix)) uploads.push({ key: uploadKey, id });
      }
      uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult>' +
        `<Bucket>${xmlEscape(bucket)}</Bucket><Prefix>${xmlEscape(prefix)}</Prefix>` +
        '<IsTruncated>false</IsTruncated>' +
        uploads.map((u) => `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${u.id}</UploadId></Upload>`).join('') +
        '</ListMultipartUploadsResult>';
      return;
    }
    if (ctx.method === 'DELETE' && key !== '' && ctx.query.uploadId) {
      const dir = path.join(uploadsDir, path.basename(ctx.query.uploadId));
      try { await fs.access(dir); } catch {
        s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
        return;
      }
      await fs.rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    return next();
  };
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  vhostBuckets: true,
  configureBuckets: [{ name: 'rb-test' }],
});
// Verification first (it sees the request as sent), the uploads shim just before s3rver's
// router (after its virtual-host rewrite).
server.middleware.unshift(verifySigV4);
server.middleware.splice(server.middleware.length - 1, 0, uploadsShim(server));
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
