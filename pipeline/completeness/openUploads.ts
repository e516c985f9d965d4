import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { UploadsUnavailableError } from './errors.ts';

/** Keys of multipart uploads not yet completed under a prefix. */
export type OpenUploads = (prefix: string) => Promise<string[]>;

/**
 * The Flink job's pending part files: on S3 a FileSink part is a multipart upload that is
 * completed when its checkpoint is committed, and the Kafka source commits the group's offsets in
 * the same checkpoint-complete notification, in no fixed order. An hour with an open upload under
 * its folder may still get a file, so it waits. The embedded writer never uploads in parts under
 * the landing prefix (it copies whole staged objects), so for it the list is always empty.
 */
export function s3OpenUploads(s3: S3Client, bucket: string): OpenUploads {
  return async (prefix) => {
    const keys: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await s3
        .send(
          new ListMultipartUploadsCommand({
            Bucket: bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch((e: Error) => {
          throw new UploadsUnavailableError(
            `listing open multipart uploads under s3://${bucket}/${prefix}: ${e.name}: ${e.message}`,
            {
              cause: e,
            },
          );
        });
      for (const u of page.Uploads ?? []) if (u.Key) keys.push(u.Key);
      if (!page.IsTruncated) return keys;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  };
}
