import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnchoredHead, ChainAnchors } from '../../ports/chain-anchors.js';

const SEQ_DIGITS = 10;
const keyPrefix = (declarationId: string) => `anchors/${declarationId}/`;

/**
 * Chain anchors as objects in an S3 bucket with Object Lock (compliance mode, default
 * retention set on the bucket): one object per anchor, `anchors/<id>/<seq>-<anchoredAt>`, which
 * nobody — not even the account root — can overwrite or delete before it expires. Keys sort by
 * seq, then time, so the latest anchor is the last key listed.
 */
export class S3ChainAnchors implements ChainAnchors {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async anchor(heads: AnchoredHead[]): Promise<void> {
    for (const head of heads) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${keyPrefix(head.declarationId)}${String(head.seq).padStart(SEQ_DIGITS, '0')}-${head.anchoredAt}`,
          Body: JSON.stringify(head),
          ContentType: 'application/json',
          // Object Lock requires an integrity checksum on every put.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    }
  }

  async latest(declarationId: string): Promise<AnchoredHead | undefined> {
    let last: string | undefined;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: keyPrefix(declarationId), ContinuationToken: token }),
      );
      // Keys list in UTF-8 order: zero-padded seqs sort numerically, so the last is the newest.
      last = page.Contents?.at(-1)?.Key ?? last;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (!last) return undefined;
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: last }));
    return JSON.parse(await object.Body!.transformToString()) as AnchoredHead;
  }
}
