// s3rver-run.js - start s3rver (build/s3rver) on 127.0.0.1, a port the
// kernel picks, serving DIR; print "S3rver listening on ADDR:PORT".
//   node s3rver-run.js DIR
// S3RVER_EXTRA_KEY_ID and S3RVER_EXTRA_SECRET (environment, never argv)
// add a key pair beside s3rver's fixed S3RVER/S3RVER, so that a client
// signing for the fake AWS (moto's key) can use this S3 too.
'use strict';
const path = require('path');
const mod = path.join(__dirname, '..', '..', 'build', 's3rver',
                      'node_modules', 's3rver');
const S3rver = require(mod);
const { DUMMY_ACCOUNT } = require(path.join(mod, 'lib', 'models', 'account'));

const id = process.env.S3RVER_EXTRA_KEY_ID;
if (id) DUMMY_ACCOUNT.createKeyPair(id, process.env.S3RVER_EXTRA_SECRET || '');
delete process.env.S3RVER_EXTRA_SECRET;
new S3rver({ directory: process.argv[2], address: '127.0.0.1', port: 0,
             silent: true, vhostBuckets: false })
  .run()
  .then(({ address, port }) =>
    console.log('S3rver listening on %s:%d', address, port))
  .catch((err) => { console.error(err); process.exit(1); });
