/**
 * A local object store standing in for the S3 buckets a distributed Map reads its items from
 * (`ItemReader`) and `aws-sdk:s3` tasks use: bucket `b`, key `k` is the file `<root>/b/k`, so
 * a data set is staged by copying files under `.clearway/s3/` (or held in memory for tests).
 * Answers in the shape of the S3 API (GetObject, PutObject, ListObjectsV2), errors named as S3
 * names them (`NoSuchBucket`, `NoSuchKey`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** An S3-shaped error (its `name` is the S3 error code). */
export class ObjectStoreError extends Error {
  constructor(name: 'NoSuchBucket' | 'NoSuchKey' | 'InvalidArgument', message: string) {
    super(message);
    this.name = name;
  }
}

interface StoredObject {
  body: string;
  lastModified: number;
}

/** Buckets of objects on disk (under `root`) or in memory (no root). */
export class LocalObjectStore {
  private readonly memory = new Map<string, Map<string, StoredObject>>();

  constructor(
    private readonly root?: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** PutObject (creates the bucket if needed). */
  putObject(req: { Bucket: string; Key: string; Body?: unknown }): { ETag: string } {
    const body = typeof req.Body === 'string' ? req.Body : JSON.stringify(req.Body ?? '');
    if (this.root) {
      const file = this.file(req.Bucket, req.Key);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
    } else {
      let bucket = this.memory.get(req.Bucket);
      if (!bucket) this.memory.set(req.Bucket, (bucket = new Map()));
      bucket.set(req.Key, { body, lastModified: this.now() });
    }
    return { ETag: etag(body) };
  }

  /** GetObject: the body as text. */
  getObject(req: { Bucket: string; Key: string }): { Body: string; ContentLength: number; ETag: string; LastModified: Date } {
    const object = this.read(req.Bucket, req.Key);
    return { Body: object.body, ContentLength: Buffer.byteLength(object.body), ETag: etag(object.body), LastModified: new Date(object.lastModified) };
  }

  /** ListObjectsV2, keys in UTF-8 order, paginated by `MaxKeys` (default 1000). */
  listObjectsV2(req: { Bucket: string; Prefix?: string; MaxKeys?: number; ContinuationToken?: string }) {
    const prefix = req.Prefix ?? '';
    const keys = this.keys(req.Bucket).filter((k) => k.startsWith(prefix)).sort();
    const start = req.ContinuationToken ? Number(req.ContinuationToken) : 0;
    const size = req.MaxKeys && req.MaxKeys > 0 ? req.MaxKeys : 1000;
    const page = keys.slice(start, start + size);
    const truncated = start + size < keys.length;
    return {
      Name: req.Bucket,
      Prefix: prefix,
      KeyCount: page.length,
      MaxKeys: size,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: String(start + size) } : {}),
      Contents: page.map((Key) => {
        const object = this.read(req.Bucket, Key);
        return { Key, LastModified: new Date(object.lastModified), ETag: etag(object.body), Size: Buffer.byteLength(object.body), StorageClass: 'STANDARD' };
      }),
    };
  }

  private read(bucket: string, key: string): StoredObject {
    if (this.root) {
      if (!existsSync(this.bucketDir(bucket))) throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
      const file = this.file(bucket, key);
      if (!existsSync(file) || !statSync(file).isFile()) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
      return { body: readFileSync(file, 'utf8'), lastModified: statSync(file).mtimeMs };
    }
    const objects = this.memory.get(bucket);
    if (!objects) throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    const object = objects.get(key);
    if (!object) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
    return object;
  }

  private keys(bucket: string): string[] {
    if (!this.root) {
      const objects = this.memory.get(bucket);
      if (!objects) throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
      return [...objects.keys()];
    }
    const dir = this.bucketDir(bucket);
    if (!existsSync(dir)) throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    const out: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else out.push(relative(dir, path).split(sep).join('/'));
      }
    };
    walk(dir);
    return out;
  }

  private bucketDir(bucket: string): string {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ObjectStoreError('InvalidArgument', `Invalid bucket name: ${bucket}`);
    return join(this.root!, bucket);
  }

  /** The file of a key, never outside its bucket directory. */
  private file(bucket: string, key: string): string {
    const dir = resolve(this.bucketDir(bucket));
    const file = resolve(dir, key);
    if (!file.startsWith(dir + sep)) throw new ObjectStoreError('InvalidArgument', `Invalid key: ${key}`);
    return file;
  }
}

const etag = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;
