import { describe, expect, it } from 'vitest';
import { describeStorage, storageConfig } from '../../lib/storage/s3-settings';

describe('storage settings', () => {
  it('stays on the filesystem without LIAISON_S3_URL or LIAISON_S3_BUCKET', () => {
    expect(storageConfig({})).toEqual({ kind: 'filesystem' });
    expect(storageConfig({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toEqual({ kind: 'filesystem' });
  });

  it('reads bucket, prefix and options from the URL, which win over the AWS variables', () => {
    expect(storageConfig({
      LIAISON_S3_URL: 's3://liaison-files/prod/eu?region=eu-central-1&endpoint=http://127.0.0.1:4569&forcePathStyle=true&timeoutMs=5000',
      AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_S3: 'https://elsewhere.example',
    })).toEqual({ kind: 's3', bucket: 'liaison-files', prefix: 'prod/eu', region: 'eu-central-1', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true, timeoutMs: 5000 });
  });

  it('takes the usual AWS variables with LIAISON_S3_BUCKET (AWS itself: virtual-host style, default timeout)', () => {
    expect(storageConfig({ LIAISON_S3_BUCKET: 'files', LIAISON_S3_PREFIX: '/liaison/', AWS_DEFAULT_REGION: 'eu-west-1' }))
      .toEqual({ kind: 's3', bucket: 'files', prefix: 'liaison', region: 'eu-west-1', endpoint: null, forcePathStyle: false, timeoutMs: 30_000 });
    expect(storageConfig({ LIAISON_S3_BUCKET: 'files', AWS_ENDPOINT_URL: 'http://minio:9000' })).toMatchObject({ endpoint: 'http://minio:9000', forcePathStyle: true, region: 'us-east-1' });
  });

  it.each([
    ['credentials in the URL', 's3://AKIA:secret@bucket', /must not contain credentials/],
    ['another scheme', 'https://bucket.s3.amazonaws.com', /must start with s3:\/\//],
    ['a bad bucket name', 's3://Bad_Bucket', /bucket/],
    ['a prefix with characters S3 would keep but people would not see', 's3://bucket/a%20b', /prefix/],
    ['an unknown parameter', 's3://bucket?acl=public-read', /unknown parameter "acl"/],
    ['an endpoint that is not http(s)', 's3://bucket?endpoint=ftp://host', /endpoint/],
    ['a timeout out of range', 's3://bucket?timeoutMs=5', /timeoutMs/],
    ['a malformed forcePathStyle', 's3://bucket?forcePathStyle=yes', /forcePathStyle/],
  ])('refuses %s', (_name, url, message) => {
    expect(() => storageConfig({ LIAISON_S3_URL: url })).toThrow(message);
  });

  it('refuses a LIAISON_S3_PREFIX climbing out of its folder', () => {
    expect(() => storageConfig({ LIAISON_S3_BUCKET: 'bucket', LIAISON_S3_PREFIX: 'a/../b' })).toThrow(/prefix/);
  });

  it('never echoes a secret: a refused URL does not repeat its credentials', () => {
    try {
      storageConfig({ LIAISON_S3_URL: 's3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket' });
    } catch (e) {
      expect((e as Error).message).not.toMatch(/AKIAEXAMPLE|wJalrXUtnFEMI/);
      return;
    }
    throw new Error('not refused');
  });

  it('describes the store without credentials', () => {
    expect(describeStorage(storageConfig({ LIAISON_S3_URL: 's3://bk1/p?region=eu-west-1' }), '/data')).toBe('encrypted, in s3://bk1/p (region eu-west-1)');
    expect(describeStorage({ kind: 'filesystem' }, '/data')).toBe('encrypted, in /data');
  });
});
