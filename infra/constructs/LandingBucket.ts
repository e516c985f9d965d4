import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import { renderPolicy, type PolicyDocument } from '../iam/PolicyDocument.ts';
import { checkovSkip } from '../security/checkovSkip.ts';

export interface LandingBucketProps {
  bucket: InfraConfig['bucket'];
  defaultName: string;
  kmsKeyArn: string;
}

/**
 * The landing zone (`s3://<bucket>/landing/chargebacks/YYYY-MM-DD/HH/`), also home of the Flink
 * JAR under `artifacts/`. New or imported buckets are hardened: SSE-KMS (or SSE-S3), versioning,
 * all public access blocked, bucket-owner-enforced ownership, TLS-only policy, and a lifecycle
 * that aborts incomplete multipart uploads after days (Flink resumes them after a restore).
 */
export class LandingBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** The key that encrypts objects, when the bucket uses SSE-KMS (the Flink role needs it). */
  readonly kmsKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: LandingBucketProps) {
    super(scope, id);
    const cfg = props.bucket;
    const name = cfg.name ?? props.defaultName;
    if (cfg.mode === 'existing') {
      if (!cfg.name) throw new Error('bucket.mode "existing" needs bucket.name');
      const existing = new DataAwsS3Bucket(this, 'existing', { bucket: cfg.name });
      this.bucketName = existing.bucket;
      this.bucketArn = existing.arn;
      this.kmsKeyArn = cfg.existingKmsKeyArn;
      return;
    }
    if (cfg.mode === 'import' && !cfg.name) throw new Error('bucket.mode "import" needs bucket.name');

    const bucket = new S3Bucket(this, 'bucket', { bucket: name, forceDestroy: cfg.forceDestroy });
    // Adopt the existing bucket into state; the settings below then overwrite its configuration.
    if (cfg.mode === 'import') bucket.importFrom(name);
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = cfg.encryption === 'SSE-KMS' ? props.kmsKeyArn : undefined;

    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [
        cfg.encryption === 'SSE-KMS'
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: cfg.abortIncompleteMultipartUploadDays }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: cfg.noncurrentVersionExpirationDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
    const tlsOnly: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          // A Deny of every S3 action (the one wildcard in the deployment: it takes rights away).
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*'],
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
        {
          Sid: 'DenyTlsOlderThan12',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*'],
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
      ],
    };
    new S3BucketPolicy(this, 'tls-only', { bucket: bucket.id, policy: renderPolicy(tlsOnly) });

    if (cfg.encryption === 'SSE-S3') {
      checkovSkip(
        bucket,
        'CKV_AWS_145',
        "this environment's config chose SSE-S3 (bucket.encryption): AWS-owned keys, so no key policy, audit trail or revocation of its own",
      );
    }
    checkovSkip(
      bucket,
      'CKV_AWS_18',
      'server access logs would need a second bucket per environment; object-level audit belongs to CloudTrail data events, which the account owner turns on for all buckets at once',
    );
    checkovSkip(
      bucket,
      'CKV_AWS_144',
      'cross-region replication is a disaster-recovery choice with its own cost; the landing zone can be rebuilt from the DynamoDB table (PITR) through the pipeline',
    );
    checkovSkip(
      bucket,
      'CKV2_AWS_62',
      "nothing consumes landing events yet (the seed's Phase 4 Glue job runs on a schedule); add a notification when a consumer exists",
    );
  }
}
