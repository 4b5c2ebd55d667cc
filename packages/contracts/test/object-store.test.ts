import { describe, expect, it } from 'vitest';
import {
  bucketNameProblem,
  bucketOfNatsObjectBucket,
  natsObjectBucket,
  notificationMatches,
  objectKeyProblem,
  objectMetadataProblem,
  parseFunctionReference,
  s3EventDocument,
  s3EventKey,
  s3Sequencer,
  type NotificationConfiguration,
} from '@stratus/contracts';

describe('bucket names', () => {
  it('takes S3’s names and maps dots reversibly into a NATS name', () => {
    for (const name of ['abc', 'my-bucket', 'photos.2026', 'a'.repeat(63), '1bucket']) {
      expect(bucketNameProblem(name), name).toBeUndefined();
      expect(bucketOfNatsObjectBucket('stratus', natsObjectBucket('stratus', name))).toBe(name);
    }
    expect(natsObjectBucket('stratus', 'photos.2026')).toBe('stratus_obj_photos_2026');
    expect(bucketOfNatsObjectBucket('stratus', 'stratus_code')).toBeUndefined();
    expect(bucketOfNatsObjectBucket('other', 'stratus_obj_abc')).toBeUndefined();
  });

  it('refuses what S3 refuses, which covers NATS wildcards and stream names, naming the rule', () => {
    expect(bucketNameProblem('ab')).toContain('3 to 63');
    expect(bucketNameProblem('*')).toContain('3 to 63');
    expect(bucketNameProblem('a.*.b')).toContain('lowercase letters');
    expect(bucketNameProblem('STRATUS_ASYNC')).toContain('lowercase letters');
    expect(bucketNameProblem('stratus_code')).toContain('lowercase letters');
    expect(bucketNameProblem('-abc')).toContain('starts and ends');
    expect(bucketNameProblem('a..b')).toContain('adjacent periods');
    expect(bucketNameProblem('10.0.0.1')).toContain('IP address');
    expect(bucketNameProblem('xn--abc')).toContain('reserved');
    expect(bucketNameProblem('abc-s3alias')).toContain('reserved');
  });
});

describe('object keys and metadata', () => {
  it('takes 1 to 1024 bytes of UTF-8 with dots inside names, and refuses path segments, control characters and lone surrogates', () => {
    expect(objectKeyProblem('a/b c/ü.txt')).toBeUndefined();
    expect(objectKeyProblem('..hidden/x..')).toBeUndefined();
    expect(objectKeyProblem('x'.repeat(1024))).toBeUndefined();
    expect(objectKeyProblem('x'.repeat(1025))).toContain('1024 bytes');
    expect(objectKeyProblem('€'.repeat(342))).toContain('got 1026');
    expect(objectKeyProblem('')).toContain('at least 1 byte');
    expect(objectKeyProblem('a/../b')).toContain('".." path segment');
    expect(objectKeyProblem('.')).toContain('path segment');
    expect(objectKeyProblem('a\u0000b')).toContain('control characters');
    expect(objectKeyProblem('a\uD800b')).toContain('lone surrogate');
  });

  it('bounds metadata names and total size as S3 does', () => {
    expect(objectMetadataProblem({ owner: 'ada', 'x-y': '1' })).toBeUndefined();
    expect(objectMetadataProblem({ Owner: 'ada' })).toContain('lowercase');
    expect(objectMetadataProblem({ a: 'x'.repeat(2048) })).toContain('2048 bytes');
    expect(objectMetadataProblem({ a: 'line\nbreak' })).toContain('control characters');
  });
});

describe('notifications', () => {
  const config: NotificationConfiguration = { id: 'c', functionName: 'f', qualifier: '', events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.jpg' };

  it('match event types and both filters', () => {
    expect(notificationMatches(config, 'ObjectCreated:Put', 'in/a.jpg')).toBe(true);
    expect(notificationMatches(config, 'ObjectRemoved:Delete', 'in/a.jpg')).toBe(false);
    expect(notificationMatches(config, 'ObjectCreated:Put', 'out/a.jpg')).toBe(false);
    expect(notificationMatches(config, 'ObjectCreated:Put', 'in/a.png')).toBe(false);
    expect(notificationMatches({ ...config, events: ['s3:ObjectRemoved:Delete'], prefix: '', suffix: '' }, 'ObjectRemoved:Delete', 'x')).toBe(true);
  });

  it('name their function by name, name:qualifier or ARN', () => {
    expect(parseFunctionReference('thumbs')).toEqual({ functionName: 'thumbs', qualifier: '' });
    expect(parseFunctionReference('thumbs:prod')).toEqual({ functionName: 'thumbs', qualifier: 'prod' });
    expect(parseFunctionReference('arn:aws:lambda:local:000000000000:function:thumbs:3')).toEqual({ functionName: 'thumbs', qualifier: '3' });
    expect(parseFunctionReference('a b')).toContain('expected a function name');
    expect(parseFunctionReference('f:x y')).toContain('not a version or alias');
  });
});

describe('S3 event documents', () => {
  it('encode keys as S3 does: form encoding, space as +, slashes kept', () => {
    expect(s3EventKey('in/red flower.jpg')).toBe('in/red+flower.jpg');
    expect(s3EventKey('a+b=c&d')).toBe('a%2Bb%3Dc%26d');
    expect(s3EventKey('ü')).toBe('%C3%BC');
    const key = 'dir/a b+c ü~!.txt';
    expect(decodeURIComponent(s3EventKey(key).replace(/\+/g, ' '))).toBe(key);
  });

  it('hold one record, eventVersion 2.1, with size and eTag only for created objects and no versionId', () => {
    const base = {
      bucket: 'b',
      key: 'k 1',
      eventTime: new Date('2026-01-02T03:04:05.678Z'),
      streamSequence: 255,
      configurationId: 'c',
      principalId: 'SK1',
      sourceIp: '127.0.0.1',
      requestId: 'r',
      region: 'local',
    };
    const created = s3EventDocument({ ...base, change: 'ObjectCreated:Put', size: 3, etag: 'abc' }).Records[0];
    expect(created).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventTime: '2026-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'b', arn: 'arn:aws:s3:::b' }, object: { key: 'k+1', size: 3, eTag: 'abc', sequencer: '00000000000000FF' } },
    });
    const removed = s3EventDocument({ ...base, change: 'ObjectRemoved:Delete' }).Records[0] as { s3: { object: object } };
    expect(removed.s3.object).toEqual({ key: 'k+1', sequencer: s3Sequencer(255) });
    expect(s3Sequencer(256) > s3Sequencer(255)).toBe(true);
  });
});
