"""Provision digiads' AWS resources in the moto emulator (docker compose service "provision").

The same resources, names and settings as src/test/java/digiads/local/AwsResources.java (the local
run and the tests) and, on AWS, infra/digiads.yaml:

  * queues digiads-s3-events and digiads-metadata, each with its dead-letter queue
    (digiads-s3-events-dlq, digiads-metadata-dlq) through a redrive policy, maxReceiveCount 5;
  * bucket digiads-images whose ObjectCreated:*, ObjectRemoved:* and LifecycleExpiration:* events under the key prefix
    images/ go to digiads-s3-events;
  * table digiads-metadata, partition key imageId (S), on-demand.

Idempotent: running it again against a provisioned emulator changes nothing and succeeds.
Every name can be overridden with the application's own environment variables (DIGIADS_S3_BUCKET,
DIGIADS_SQS_EVENTS_QUEUE, ...), so the emulator and the app cannot disagree. Needs only boto3,
which the moto image ships.
"""

import json
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

MAX_RECEIVE_COUNT = 5
NOTIFICATION_ID = "digiads-image-events"


def setting(name, default):
    value = os.environ.get(name, "").strip()
    return value or default


ENDPOINT = setting("DIGIADS_AWS_ENDPOINT_OVERRIDE", "http://localhost:4566")
REGION = setting("DIGIADS_AWS_REGION", "us-east-1")
BUCKET = setting("DIGIADS_S3_BUCKET", "digiads-images")
KEY_PREFIX = setting("DIGIADS_S3_KEY_PREFIX", "images/")
EVENTS_QUEUE = setting("DIGIADS_SQS_EVENTS_QUEUE", "digiads-s3-events")
EVENTS_DLQ = setting("DIGIADS_SQS_EVENTS_DLQ", "digiads-s3-events-dlq")
METADATA_QUEUE = setting("DIGIADS_SQS_METADATA_QUEUE", "digiads-metadata")
METADATA_DLQ = setting("DIGIADS_SQS_METADATA_DLQ", "digiads-metadata-dlq")
TABLE = setting("DIGIADS_DYNAMODB_TABLE", "digiads-metadata")


def client(service):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=setting("DIGIADS_AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=setting("DIGIADS_AWS_SECRET_ACCESS_KEY", "test"),
        # path-style addressing, as the app uses against an emulator
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"}),
    )


def wait_for_emulator(timeout_seconds=60):
    sqs = client("sqs")
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            sqs.list_queues()
            return
        except Exception as e:  # connection refused while moto starts
            if time.monotonic() > deadline:
                raise SystemExit(f"moto did not answer at {ENDPOINT} within {timeout_seconds}s: {e}")
            time.sleep(1)


def queue(sqs, name, dead_letter_arn=None):
    """Creates the queue (or finds it) and (re)applies its redrive policy; returns (url, arn)."""
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    if dead_letter_arn is not None:
        redrive = json.dumps({"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive})
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    print(f"queue  {name}: {url}" + (f" (dead letters -> {dead_letter_arn})" if dead_letter_arn else ""))
    return url, arn


def bucket(s3, name, prefix, queue_arn):
    try:
        s3.create_bucket(Bucket=name)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    rules = [{"Name": "prefix", "Value": prefix}]  # moto (like S3) wants the rule name in lower case
    s3.put_bucket_notification_configuration(
        Bucket=name,
        NotificationConfiguration={
            "QueueConfigurations": [{
                "Id": NOTIFICATION_ID,
                "QueueArn": queue_arn,
                "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"],
                "Filter": {"Key": {"FilterRules": rules}},
            }]
        },
    )
    print(f"bucket {name}: ObjectCreated:*, ObjectRemoved:*, LifecycleExpiration:* under '{prefix}' -> {queue_arn}")


def table(dynamodb, name):
    try:
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "imageId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "imageId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    # tombstones of deleted images expire through the TTL attribute
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(TableName=name,
                                     TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"})
    print(f"table  {name}: imageId (S), PAY_PER_REQUEST, TTL on expiresAt")


def main():
    wait_for_emulator()
    sqs, s3, dynamodb = client("sqs"), client("s3"), client("dynamodb")
    _, events_dlq_arn = queue(sqs, EVENTS_DLQ)
    _, events_arn = queue(sqs, EVENTS_QUEUE, events_dlq_arn)
    _, metadata_dlq_arn = queue(sqs, METADATA_DLQ)
    queue(sqs, METADATA_QUEUE, metadata_dlq_arn)
    bucket(s3, BUCKET, KEY_PREFIX, events_arn)
    table(dynamodb, TABLE)
    print(f"Provisioned bucket, queues and table in {ENDPOINT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
